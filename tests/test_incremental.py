"""Rebuilds do only the work that changed, and the output always ends up as a full build's."""
from __future__ import annotations

import filecmp
import os

import pytest

from votepact.build import BuildOptions, build


@pytest.fixture()
def site(scratch_site, tmp_path):
    # The scratch site's cache is the session's (images and PDFs by what they show): this first
    # build renders every page but draws little; the full build compared with has a cache of its own.
    options = BuildOptions(scratch_site, tmp_path / "out")
    first = build(options)
    assert not first.unchanged and first.rendered == first.pages
    return options


def mtimes(root):
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def same_as_a_full_build(options, tmp_path):
    fresh = BuildOptions(options.site_dir, tmp_path / "fresh", cache_dir=tmp_path / "fresh-cache")
    build(fresh)
    diff = filecmp.dircmp(options.out_dir, fresh.out_dir)
    stack, problems = [diff], []
    while stack:
        d = stack.pop()
        problems += d.left_only + d.right_only + d.diff_files
        stack += d.subdirs.values()
    assert not problems, problems


def test_nothing_changed_does_nothing(site):
    before = mtimes(site.out_dir)
    result = build(site)
    assert result.unchanged and result.written == 0
    assert mtimes(site.out_dir) == before


def test_one_page_changed_renders_and_writes_only_that_page(site, tmp_path):
    before = mtimes(site.out_dir)
    faq = site.site_dir / "content/faq.md"
    faq.write_text(faq.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    result = build(site)
    assert result.rendered == 1 and result.drawn == 0
    changed = {rel for rel, t in mtimes(site.out_dir).items() if before.get(rel) != t}
    assert changed == {"faq/index.html"}
    assert "One more line." in (site.out_dir / "faq/index.html").read_text("utf-8")
    same_as_a_full_build(site, tmp_path)


def test_a_new_title_reaches_the_pages_that_list_it(site, tmp_path):
    guide = site.site_dir / "content/guides/keeping-the-pact.md"
    text = guide.read_text("utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    guide.write_text(text.replace(title_line, "title: Keeping your word on election day"), "utf-8")
    result = build(site)
    assert 1 < result.rendered < result.pages
    assert "Keeping your word on election day" in (site.out_dir / "guides/index.html").read_text("utf-8")
    same_as_a_full_build(site, tmp_path)


def test_data_change_renders_the_pages_that_use_the_data_not_the_others(site, tmp_path):
    before = mtimes(site.out_dir)
    data = site.site_dir / "data/candidates.yaml"
    data.write_text(data.read_text("utf-8").replace("    AK: ballot", "    AK: unknown", 1), "utf-8")
    result = build(site)
    after = mtimes(site.out_dir)
    changed = {rel for rel, t in after.items() if before.get(rel) != t}
    assert any(rel.startswith("candidates/") for rel in changed)
    assert "faq/index.html" not in changed and "bernie-and-boom/index.html" not in changed
    assert result.rendered < result.pages
    same_as_a_full_build(site, tmp_path)


def test_a_removed_page_is_removed_from_the_output(site, tmp_path):
    (site.site_dir / "content/about.md").unlink()
    (site.site_dir / "content/es/about.md").unlink()  # else /about/ stays, as the Spanish page's fallback
    menu = site.site_dir / "data/site.yaml"
    menu.write_text(menu.read_text("utf-8").replace("  - label: About\n    path: /about/\n", ""), "utf-8")
    build(site)
    assert not (site.out_dir / "about").exists()
    same_as_a_full_build(site, tmp_path)


def test_an_output_changed_by_hand_is_rebuilt_whole(site, tmp_path):
    page = site.out_dir / "faq/index.html"
    page.write_text("edited by hand", "utf-8")
    result = build(site)
    assert not result.unchanged
    assert page.read_text("utf-8") != "edited by hand"
    same_as_a_full_build(site, tmp_path)


def test_a_failed_incremental_build_writes_nothing(site):
    before = mtimes(site.out_dir)
    faq = site.site_dir / "content/faq.md"
    faq.write_text(faq.read_text("utf-8").replace("title:", "title: [broken", 1), "utf-8")
    from votepact.errors import BuildFailed
    with pytest.raises(BuildFailed):
        build(site)
    assert mtimes(site.out_dir) == before
    assert not [p for p in os.listdir(site.out_dir.parent) if p.startswith(".out.")]


def test_a_new_version_of_the_generator_renders_every_page(site, monkeypatch):
    import votepact.rendering as rendering
    faq = site.site_dir / "content/faq.md"
    os.utime(faq, ns=(faq.stat().st_atime_ns, faq.stat().st_mtime_ns + 10**9))  # touched, same text
    assert build(site).rendered == 0
    monkeypatch.setattr(rendering, "code_version", lambda *inputs: "a newer generator")
    os.utime(faq, ns=(faq.stat().st_atime_ns, faq.stat().st_mtime_ns + 10**9))
    result = build(site)
    assert result.rendered == result.pages


def test_a_catalog_edit_is_seen_by_a_process_that_keeps_its_memory(scratch_site, tmp_path):
    """serve keeps one Jinja environment while the templates and catalogs stay the same: a word
    reworded in the site's own catalog must show at its next build."""
    from votepact.memory import Memory
    options = BuildOptions(scratch_site, tmp_path / "out")
    memory = Memory.load(options.cache, options.out_dir)
    build(options, memory, save=False)
    assert "Saltar al contenido" in (options.out_dir / "es/index.html").read_text("utf-8")
    po = scratch_site / "locale/es_US/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Skip to content"\nmsgstr "Ir directo al contenido"\n', "utf-8")
    build(options, memory, save=False)
    page = (options.out_dir / "es/index.html").read_text("utf-8")
    assert "Ir directo al contenido" in page and "Saltar al contenido" not in page
