"""The command line as an organizer meets it."""
from __future__ import annotations

from conftest import run_cli


def test_each_command_has_help():
    for verb in ("build", "serve", "check", "new"):
        result = run_cli(verb, "--help")
        assert result.returncode == 0 and f"usage: votepact {verb}" in result.stdout
    for verb in ("build", "check"):
        assert "--site" in run_cli(verb, "--help").stdout and "--out" in run_cli(verb, "--help").stdout
    assert "--out" not in run_cli("serve", "--help").stdout  # serve never writes the output folder


def test_build_then_check_passes_and_a_broken_link_fails(tmp_path):
    out = tmp_path / "site"
    result = run_cli("build", "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ") and "pages" in result.stdout
    result = run_cli("check", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "all good" in result.stdout
    about = out / "about" / "index.html"
    about.write_text(about.read_text("utf-8").replace('href="/faq/"', 'href="/fqa/"', 1), "utf-8")
    result = run_cli("check", "--out", out)
    assert result.returncode == 1
    assert "about/index.html:" in result.stderr and "broken link: /fqa/" in result.stderr


def test_check_without_a_built_site(tmp_path):
    result = run_cli("check", "--out", tmp_path / "nothing")
    assert result.returncode == 1 and "no built site here" in result.stderr


def test_a_site_folder_without_templates_or_static_uses_the_projects(scratch_site, tmp_path):
    assert not (scratch_site / "templates").exists() and not (scratch_site / "static").exists()
    result = run_cli("build", "--site", scratch_site, "--out", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "faq" / "index.html").is_file()
    # a site's own file hides the project's one of the same name
    (scratch_site / "templates").mkdir()
    (scratch_site / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Our own lost page</h1>{% endblock %}', "utf-8")
    assert run_cli("build", "--site", scratch_site, "--out", tmp_path / "o").returncode == 0
    assert "Our own lost page" in (tmp_path / "o" / "404.html").read_text("utf-8")
