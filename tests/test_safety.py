"""Organizer safety (issue 12): the published site is never wrong, every input is checked where it
is written, addresses made from file names are safe, and a site stays inside its folder."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from votepact.schema import ecma_pattern

LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+)(:(?P<col>\d+))?: (?P<message>.+)$")


@pytest.fixture()
def small(tmp_path, shared_cache) -> Path:
    """A copy of the golden test's small site (fast to build)."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "tests/golden/site", site)
    (site / ".cache").symlink_to(shared_cache, target_is_directory=True)
    return site


def build(site: Path, *extra):
    return run_cli("build", "--site", site, "--out", site / "output", *extra)


def fails(site: Path, *extra) -> tuple[list[str], str]:
    """Build, expect exit 1, no traceback, every error one 'path:line[:col]: message' line."""
    result = build(site, *extra)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if not l.startswith("Build failed")]
    errors = [l for l in lines if not l.endswith("[warning]")]
    return errors, result.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def page(title: str = "A page", extra: str = "", body: str = "Some text.\n") -> str:
    return f"---\ntitle: {title}\ndescription: One sentence.\n{extra}---\n\n{body}"


def line_of(path: Path, needle: str) -> int:
    return next(n for n, l in enumerate(path.read_text("utf-8").split("\n"), 1) if needle in l)


# -- 1: check takes the address from site.yaml, never from the pages ------------------------------
def test_check_refuses_a_site_built_for_another_address(small):
    assert build(small, "--base-url", "http://127.0.0.1:48999/").returncode == 0
    result = run_cli("check", "--site", small)
    assert result.returncode == 1
    assert "canonical URL http://127.0.0.1:48999/ is not under https://example.org/pacts/" in result.stderr
    assert build(small).returncode == 0
    assert "canonical" not in run_cli("check", "--site", small).stderr


# -- 2: one rule for a base URL, however it arrives -----------------------------------------------
@pytest.mark.parametrize("url,says", [
    ("pacts.example.net/votepact", "not a full address"), ("example.org/sub/", "not a full address"),
    ("https://example.org/sub/?x=1", "?query or #fragment"), ("https://example.org/sub/#top", "?query or #fragment"),
    ("ftp://x.org/", "not a full address"), ("https://example.org/sub", "must end with '/'"),
    ("https:///sub/", "no host name"), ("https://example.org:80x/", "port"),
])
def test_a_bad_base_url_is_one_line_on_the_command_line_and_in_site_yaml(small, url, says):
    result = build(small, "--base-url", url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"votepact build: --base-url {result.stderr.split('--base-url ', 1)[1].strip()}"
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (small / "output").exists()
    site_yaml = small / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("https://example.org/pacts/", url), "utf-8")
    errors, _ = fails(small)
    assert len(errors) == 1 and says in errors[0]
    assert errors[0].startswith(f"data/site.yaml:{line_of(site_yaml, 'base_url:')}:")


def test_good_base_urls_pass(small):
    for url in ("http://127.0.0.1:8123/", "https://example.org", "http://localhost:8000/votepact/"):
        assert build(small, "--base-url", url).returncode == 0, url


# -- 6: links that lead out of the site folder ----------------------------------------------------
def test_links_out_of_the_site_folder_are_errors_and_links_inside_are_followed(small, tmp_path):
    secret = write(tmp_path / "elsewhere" / "secret.txt", "not for publishing")
    elsewhere_page = write(tmp_path / "elsewhere" / "page.md", page("From elsewhere"))
    (small / "static").mkdir()
    (small / "static" / "notes.txt").symlink_to(secret)
    (small / "content" / "outside.md").symlink_to(elsewhere_page)
    (small / "content" / "away").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    errors, _ = fails(small)
    assert f"content/away: is a link to {tmp_path / 'elsewhere'}, outside the site folder" in "\n".join(errors)
    assert any(e.startswith(f"content/outside.md: is a link to {elsewhere_page}") for e in errors)
    assert any(e.startswith(f"static/notes.txt: is a link to {secret}, outside the site folder") for e in errors)
    assert not (small / "output").exists()
    for link in ("static/notes.txt", "content/outside.md", "content/away"):
        (small / link).unlink()
    # a folder shared inside the site folder, linked into content/, builds
    write(small / "shared" / "notes" / "meeting.md", page("Meeting notes"))
    (small / "content" / "notes").symlink_to(small / "shared" / "notes", target_is_directory=True)
    (small / "content" / "loop").symlink_to(small / "content", target_is_directory=True)
    errors, _ = fails(small)
    assert errors == [f"content/loop: is a link to {small.resolve() / 'content'}, a folder that holds the link itself "
                      "(remove the link: it would lead round in a circle)"]
    (small / "content" / "loop").unlink()
    assert build(small).returncode == 0
    assert "Meeting notes" in (small / "output/notes/meeting/index.html").read_text("utf-8")


# -- 7, 8, 9: addresses from file names -----------------------------------------------------------
def test_file_names_become_slugs_and_slug_overrides(small):
    write(small / "content" / "Vote Early.md", page("Vote early"))
    write(small / "content" / "Guías Útiles" / "Día 1.md", page("Day one"))
    write(small / "content" / "named.md", page("Named", "slug: chosen-name\n"))
    assert build(small).returncode == 0
    out = small / "output"
    assert (out / "vote-early/index.html").is_file() and (out / "guias-utiles/dia-1/index.html").is_file()
    assert (out / "chosen-name/index.html").is_file() and not (out / "named").exists()
    html = (out / "vote-early/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/pacts/vote-early/">' in html
    assert " " not in re.search(r"<loc>[^<]*vote[^<]*</loc>", (out / "sitemap.xml").read_text("utf-8")).group(0)


def test_addresses_that_differ_only_in_case_are_an_error_naming_both_files(small):
    write(small / "content" / "faq.md", page("FAQ"))
    write(small / "content" / "FAQ.md", page("FAQ again"))
    errors, _ = fails(small)
    assert len(errors) == 1 and "content/FAQ.md" in errors[0] and "content/faq.md" in errors[0]
    (small / "content" / "FAQ.md").unlink()
    write(small / "content" / "questions.md", page("Questions", "slug: faq\n"))
    errors, _ = fails(small)
    assert len(errors) == 1 and "content/faq.md" in errors[0] and "content/questions.md" in errors[0]


def test_only_a_file_named_exactly_index_md_is_a_section_page(small):
    write(small / "content" / "guides" / "state-index.md", page("State index"))
    assert build(small).returncode == 0
    out = small / "output"
    assert 'class="cards"' in (out / "guides/index.html").read_text("utf-8")  # the section page lists its pages
    assert 'class="cards"' not in (out / "guides/state-index/index.html").read_text("utf-8")


# -- 10: words YAML 1.1 reads as something else ---------------------------------------------------
def test_yaml_booleans_numbers_and_dates_where_text_is_expected(small):
    states = small / "data/states.yaml"
    states.write_text(states.read_text("utf-8").replace("  NL:\n", "  ON:\n").replace("NL:", "ON:"), "utf-8")
    errors, _ = fails(small)
    assert errors == [f"data/states.yaml:{line_of(states, '  ON:')}:3: key 'ON' is read by YAML as the boolean true "
                      "(put it in quotes: 'ON':)"]
    shutil.copy(REPO / "tests/golden/site/data/states.yaml", states)
    guide = small / "content/guides/talking.md"
    guide.write_text(guide.read_text("utf-8").replace("audience: Anyone", "audience: yes"), "utf-8")
    site_yaml = small / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("title: Pact Example", "title: 2030"), "utf-8")
    errors, _ = fails(small)
    assert sorted(errors) == sorted([
        f"content/guides/talking.md:{line_of(guide, 'audience:')}:1: 'audience' is 'yes', which YAML reads as the "
        'boolean true, not as text (put it in quotes: "yes")',
        f"data/site.yaml:{line_of(site_yaml, 'title:')}:1: 'title' is '2030', which YAML reads as a number, not as "
        'text (put it in quotes: "2030")'])


# -- 11: characters HTML forbids ------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\u000b", "\u0001", "\u007f", "\u0085", "\ufdd0", "\uffff"])
def test_characters_html_forbids_are_reported_at_their_line(small, char):
    guide = small / "content/guides/talking.md"
    guide.write_text(guide.read_text("utf-8").replace("2. Say why", f"2. Say{char} why"), "utf-8")
    errors, _ = fails(small)
    col = "2. Say".__len__() + 1
    assert errors == [f"content/guides/talking.md:{line_of(guide, 'why it matters')}:{col}: character "
                      f"U+{ord(char):04X} is not allowed in a web page (delete it: it is invisible, and often comes "
                      "with text pasted from another program)"]


# -- 12: patterns are ECMA-262 --------------------------------------------------------------------
def test_patterns_follow_ecma_262():
    for pattern, text, ecma in [("^[a-z0-9-]+$", "faq\n", False), ("^[a-z0-9-]+$", "faq", True),
                                (r"^\d+$", "١٢", False), (r"^\d+$", "12", True), (r"^\w+$", "é", False),
                                (r"^[\d$]+$", "1$", True), (r"^a\$$", "a$", True)]:
        assert (re.search(ecma_pattern(pattern), text) is not None) is ecma, (pattern, text)


def test_a_slug_with_a_newline_is_refused(small):
    guide = small / "content/guides/talking.md"
    guide.write_text(guide.read_text("utf-8").replace("order: 1", 'order: 1\nslug: "faq\\n"'), "utf-8")
    errors, _ = fails(small)
    assert errors == [f"content/guides/talking.md:{line_of(guide, 'slug:')}:1: 'faq\\n' is not a valid 'slug' "
                      "(the last part of the page's address)"]


# -- 13: a template that is not UTF-8 -------------------------------------------------------------
def test_a_template_that_is_not_utf8_is_one_line(small):
    (small / "templates").mkdir()
    (small / "templates" / "unused.html").write_bytes(b"<p>caf\xe9</p>\n<p>two</p>\n")
    errors, stderr = fails(small)
    assert len(errors) == 1 and errors[0].endswith(
        "templates/unused.html:1:7: this file is not UTF-8 (byte 0xe9) (save it as UTF-8 in your editor)"), stderr


# -- 14: each mistake once, tabs, '#', menu lines -------------------------------------------------
def test_a_wrong_date_is_one_error(small):
    guide = small / "content/guides/talking.md"
    guide.write_text(guide.read_text("utf-8").replace("order: 1", "order: 1\ndate: 11/08/2016"), "utf-8")
    errors, stderr = fails(small)
    assert len(errors) == 1 and "'11/08/2016' is not a valid date" in errors[0]
    assert "Build failed with 1 error(s)" in stderr


def test_tab_indented_yaml_says_tabs(small):
    states = small / "data/states.yaml"
    states.write_text(states.read_text("utf-8").replace("    name: Northland", "\tname: Northland"), "utf-8")
    errors, _ = fails(small)
    assert errors == [f"data/states.yaml:{line_of(states, 'Northland')}:1: YAML syntax error: this line is indented "
                      "with a tab (YAML does not allow tabs for indentation: indent with spaces)"]


def test_a_hash_that_starts_a_comment_is_a_warning(small):
    guide = small / "content/guides/talking.md"
    guide.write_text(guide.read_text("utf-8").replace("title: Talking it through", "title: About #1 pact  # ok"), "utf-8")
    result = build(small)
    assert result.returncode == 0
    assert (f"content/guides/talking.md:2:14: '#' starts a comment here, so the value is only 'About' (put the whole "
            "value in quotes if '#1 pact  # ok' belongs to it) [warning]") in result.stderr
    guide.write_text(guide.read_text("utf-8").replace("About #1 pact  # ok", "About   # a real comment"), "utf-8")
    assert "[warning]" not in build(small).stderr
    assert build(small, "--strict").returncode == 0


def test_a_menu_item_that_points_nowhere_has_its_line(small):
    site_yaml = small / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("path: /pact/", "path: /pacts/"), "utf-8")
    errors, _ = fails(small)
    assert len(errors) == 1
    assert errors[0].startswith(f"data/site.yaml:{line_of(site_yaml, 'label: Pact card')}:")
    assert "points to /pacts/" in errors[0]


# -- 15: a static file too big for a page ---------------------------------------------------------
def test_a_very_large_static_file_is_a_warning(small):
    (small / "static" / "img").mkdir(parents=True)
    (small / "static" / "img" / "huge.png").write_bytes(os.urandom(6 * 1024 * 1024))
    result = build(small)
    assert result.returncode == 0
    assert "static/img/huge.png: is 6 MB, more than a visitor on a phone should load" in result.stderr
    (small / "static" / "img" / "huge.png").write_bytes(os.urandom(1024 * 1024))
    assert "[warning]" not in build(small).stderr


# -- 22: the cache folder can be placed -----------------------------------------------------------
def test_the_cache_folder_can_be_placed(small, tmp_path):
    (small / ".cache").unlink()
    cache = tmp_path / "elsewhere-cache"
    assert build(small, "--cache", cache).returncode == 0
    assert not (small / ".cache").exists() and any(cache.iterdir())


# -- 24: "the previous output was left as it was" only when there was one -------------------------
def test_a_failed_first_build_does_not_speak_of_a_previous_output(small):
    guide = small / "content/guides/talking.md"
    guide.write_text(guide.read_text("utf-8").replace("title:", "title: [broken", 1), "utf-8")
    _, stderr = fails(small)
    assert stderr.strip().splitlines()[-1] == "Build failed with 1 error(s); nothing was written."
    assert not (small / "output").exists()
    shutil.copy(REPO / "tests/golden/site/content/guides/talking.md", guide)
    assert build(small).returncode == 0
    guide.write_text(guide.read_text("utf-8").replace("title:", "title: [broken", 1), "utf-8")
    _, stderr = fails(small)
    assert stderr.strip().splitlines()[-1] == "Build failed with 1 error(s); the previous output was left as it was."
