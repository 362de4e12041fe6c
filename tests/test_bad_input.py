"""Every mistake an organizer can make gets one clear line, exit 1, and an untouched output."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import make_scratch_site, run_cli
from votepact.memory import Memory

LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+)(:(?P<col>\d+))?: (?P<message>.+)$")


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        h.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def good_build(tmp_path_factory, shared_cache) -> Path:
    """The default site's content and data, built once with the command line into its output/."""
    site = make_scratch_site(tmp_path_factory.mktemp("good") / "site", shared_cache)
    result = run_cli("build", "--site", site, "--out", site / "output")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture()
def site(scratch_site, good_build):
    """A scratch copy of the default site with a good build already in its output/: the one
    good build, copied with its files' times, and what that build remembers (the manifest in
    the cache) moved to the copy, so the next build sees it exactly as if it had built there."""
    output = scratch_site / "output"
    shutil.copytree(good_build / "output", output)  # copy2: sizes and times as written
    memory = Memory.load(good_build / ".cache", good_build / "output")
    assert memory.manifest.intact(good_build / "output"), "the good build left no manifest"
    memory.manifest.out_dir = str(output.resolve())
    memory.path = Memory.load(scratch_site / ".cache", output).path
    memory.save()
    assert Memory.load(scratch_site / ".cache", output).output_intact(output)
    return scratch_site


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def fails(site: Path, *extra) -> list[re.Match]:
    """Build, expect exit 1 with no traceback and the output untouched; return the error lines."""
    before = tree_digest(site / "output")
    result = run_cli("build", "--site", site, "--out", site / "output", *extra)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert tree_digest(site / "output") == before, "the previous output changed"
    assert not list(site.glob(".output.*")), "a staging folder was left behind"
    lines = [l for l in result.stderr.splitlines() if not l.endswith("[warning]") and not l.startswith("Build failed")]
    matches = [LINE.match(l) for l in lines]
    assert all(matches), f"every error is one 'path:line:col: message' line: {lines}"
    assert result.stderr.strip().splitlines()[-1].startswith("Build failed with")
    return matches


def test_yaml_syntax_error_in_data(site):
    path = site / "data/site.yaml"
    edit(path, "language: en", "language: en: us")
    [err] = fails(site)
    assert err["path"] == "data/site.yaml"
    assert int(err["line"]) == line_of(path, "language: en: us")
    assert "YAML syntax error" in err["message"] and "needs quotes" in err["message"]


def test_yaml_syntax_error_in_front_matter(site):
    path = site / "content/faq.md"
    edit(path, "title: ", "title: [unclosed ")
    [err] = fails(site)
    assert err["path"] == "content/faq.md"
    assert "YAML syntax error" in err["message"]
    assert 2 <= int(err["line"]) <= 4


def test_missing_required_front_matter_field(site):
    path = site / "content/about.md"
    edit(path, "title: About VotePact\n", "")
    [err] = fails(site)
    assert (err["path"], err["line"]) == ("content/about.md", "2")
    assert "missing required field 'title'" in err["message"]


def test_missing_required_data_field(site):
    path = site / "data/candidates.yaml"
    edit(path, "  date: 2016-11-08\n", "")
    [err] = fails(site)
    assert err["path"] == "data/candidates.yaml"
    assert int(err["line"]) == line_of(path, "election:")
    assert "missing required field 'date'" in err["message"]


def test_wrong_type(site):
    path = site / "content/guides/finding-a-partner.md"
    edit(path, "order: 1", "order: first")
    [err] = fails(site)
    assert int(err["line"]) == line_of(path, "order: first")
    assert "'order' should be an integer" in err["message"]


def test_unknown_ballot_status(site):
    path = site / "data/candidates.yaml"
    edit(path, "    AK: ballot", "    AK: balot")
    errors = fails(site)
    err = errors[0]
    assert int(err["line"]) == line_of(path, "    AK: balot")
    assert "'balot'" in err["message"] and "did you mean 'ballot'" in err["message"]


def test_state_code_that_does_not_exist(site):
    path = site / "data/candidates.yaml"
    edit(path, "    AK: ballot", "    AX: ballot")
    errors = fails(site)
    messages = [e["message"] for e in errors]
    assert any("state 'AX' is not in data/states.yaml" in m for m in messages)
    bad = next(e for e in errors if "'AX'" in e["message"])
    assert int(bad["line"]) == line_of(path, "AX: ballot")
    # ...and the state it replaced is now reported missing, in the same run
    assert any("missing for 1 state(s): AK" in m for m in messages)


def test_invalid_date(site):
    path = site / "data/candidates.yaml"
    edit(path, "  date: 2016-11-08", "  date: 2016-11-31")
    [err] = fails(site)
    assert int(err["line"]) == line_of(path, "date: 2016-11-31")
    assert "'2016-11-31' is not a valid date" in err["message"] and "YYYY-MM-DD" in err["message"]


def test_invalid_url(site):
    path = site / "data/site.yaml"
    edit(path, "base_url: https://votepact.org/", "base_url: votepact.org")
    [err] = fails(site)
    assert int(err["line"]) == line_of(path, "base_url: votepact.org")
    assert "'votepact.org' is not a full address" in err["message"] and "https://" in err["message"]


def test_unknown_candidate_reference(site):
    path = site / "data/candidates.yaml"
    edit(path, "  - [johnson, stein]", "  - [johnson, stien]")
    [err] = fails(site)
    assert int(err["line"]) == line_of(path, "[johnson, stien]")
    assert "candidate 'stien' in pairing is unknown" in err["message"]
    assert "did you mean 'stein'?" in err["message"]


def test_two_files_write_the_same_url(site):
    (site / "content/faq").mkdir()
    (site / "content/faq/index.md").write_text("---\ntitle: Another FAQ\n---\nText.\n", "utf-8")
    [err] = fails(site)
    assert {err["path"]} <= {"content/faq/index.md", "content/faq.md"}
    assert "writes the same address /faq/" in err["message"]


def test_template_that_does_not_exist(site):
    path = site / "content/about.md"
    edit(path, "title: About VotePact", "title: About VotePact\ntemplate: essey")
    [err] = fails(site)
    assert err["path"] == "content/about.md"
    assert "template 'essey.html' does not exist" in err["message"]
    assert "did you mean 'essay.html'" in err["message"]


def test_template_with_undefined_name(site):
    templates = site / "templates"
    templates.mkdir()
    (templates / "page.html").write_text('{% extends "base.html" %}\n{% block main %}\n<p>{{ page.titel }}</p>\n'
                                         "{% endblock %}\n", "utf-8")
    errors = fails(site)
    assert errors[0]["path"].endswith("templates/page.html")
    assert errors[0]["line"] == "3"
    assert "undefined" in errors[0]["message"] and "titel" in errors[0]["message"]


@pytest.mark.parametrize("name", ["page.html", "unused.html"])
def test_template_syntax_error_is_one_line_even_in_a_template_no_page_uses(site, name):
    templates = site / "templates"
    templates.mkdir()
    (templates / name).write_text('{% extends "base.html" %}\n{% block main %}\n{% if page.title %}\n<p>x</p>\n'
                                  "{% endblock %}\n", "utf-8")
    [err] = fails(site)
    assert err["path"].endswith(f"templates/{name}") and err["line"] == "5"
    assert "template syntax error" in err["message"] and "endif" in err["message"]


def test_file_that_is_not_utf8(site):
    path = site / "content/about.md"
    data = path.read_bytes().replace(b"VotePact is", "VotePact \u00e9 is".encode("latin-1"), 1)
    assert data != path.read_bytes()
    path.write_bytes(data)
    [err] = fails(site)
    assert err["path"] == "content/about.md" and "not UTF-8" in err["message"]
    assert int(err["line"]) > 1 and int(err["col"]) > 1


def test_empty_candidates_file(site):
    (site / "data/candidates.yaml").write_text("# nothing yet\n", "utf-8")
    [err] = fails(site)
    assert err["path"] == "data/candidates.yaml" and "file is empty" in err["message"]


def test_missing_candidates_file(site):
    (site / "data/candidates.yaml").unlink()
    result = run_cli("build", "--site", site, "--out", site / "output")
    assert result.returncode == 1
    assert result.stderr.startswith("data/candidates.yaml: file is missing (create it: it holds the election")


def test_all_errors_of_a_build_are_listed_together(site):
    edit(site / "content/about.md", "title: About VotePact\n", "")
    edit(site / "content/faq.md", "title: ", "titel: ")
    edit(site / "data/candidates.yaml", "    AK: ballot", "    AK: balot")
    errors = fails(site)
    paths = {e["path"] for e in errors}
    assert {"content/about.md", "content/faq.md", "data/candidates.yaml"} <= paths


def test_unknown_key_is_a_warning_and_strict_makes_it_an_error(site):
    path = site / "content/about.md"
    edit(path, "title: About VotePact", "title: About VotePact\ndescripton: typo")
    result = run_cli("build", "--site", site, "--out", site / "output")
    assert result.returncode == 0
    assert f"content/about.md:{line_of(path, 'descripton')}:1: unknown key 'descripton' (did you mean 'description'?) [warning]" in result.stderr
    [err] = fails(site, "--strict")
    assert "unknown key 'descripton'" in err["message"]


def test_wrong_command_line_exits_2():
    result = run_cli("build", "--no-such-option")
    assert result.returncode == 2
    result = run_cli("publish")
    assert result.returncode == 2
