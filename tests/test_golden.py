"""The golden site: a fresh build equals the committed expected output, byte for byte.

After an intended change, run `scripts/regen_golden.py` and review the diff.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from votepact.build import BuildOptions, build

GOLDEN = Path(__file__).parent / "golden"
BINARY = {".png", ".pdf", ".ttf", ".woff2", ".ico"}


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def test_golden_site_matches_expected_output(tmp_path):
    out = tmp_path / "out"
    build(BuildOptions(GOLDEN / "site", out, **({"cache_dir": tmp_path / "cache"}
                                               if "cache_dir" in BuildOptions.__dataclass_fields__ else {})))
    got, want = files(out), files(GOLDEN / "expected")
    assert sorted(got) == sorted(want), "files differ; run scripts/regen_golden.py if the change is intended"
    for name, path in want.items():
        if path.suffix in BINARY:
            continue  # drawn images: their own tests check them; here only that they exist
        a, b = path.read_text("utf-8"), got[name].read_text("utf-8")
        if a != b:
            diff = "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "expected/" + name, "built/" + name, n=2))
            raise AssertionError(f"{name} differs from the golden copy:\n{diff[:3000]}")


def test_two_builds_are_byte_identical(tmp_path):
    kwargs = lambda n: {"cache_dir": tmp_path / f"cache{n}"} if "cache_dir" in BuildOptions.__dataclass_fields__ else {}
    build(BuildOptions(GOLDEN / "site", tmp_path / "a", **kwargs(1)))
    build(BuildOptions(GOLDEN / "site", tmp_path / "b", **kwargs(2)))
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name


def test_default_site_builds_byte_identical_images_and_pdfs_included(tmp_path, built_site):
    from conftest import REPO
    build(BuildOptions(REPO, tmp_path / "out1", cache_dir=tmp_path / "cache1"))  # the session's own build is the other
    a, b = files(tmp_path / "out1"), files(built_site)
    assert sorted(a) == sorted(b)
    assert any(name.endswith(".pdf") for name in a) and any(name.endswith(".png") for name in a)
    different = [name for name in a if a[name].read_bytes() != b[name].read_bytes()]
    assert not different, different
