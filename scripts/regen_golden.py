#!/usr/bin/env python3
"""Rebuild the golden site's expected output after an intended change: tests/golden/expected/.

Run it, look at `git diff tests/golden/expected`, and commit the change with the code that caused it.
"""
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from votepact.build import BuildOptions, build  # noqa: E402

GOLDEN = REPO / "tests" / "golden"


def main() -> int:
    expected = GOLDEN / "expected"
    build(BuildOptions(GOLDEN / "site", expected, cache_dir=None) if "cache_dir" in BuildOptions.__dataclass_fields__
          else BuildOptions(GOLDEN / "site", expected))
    shutil.rmtree(GOLDEN / "site" / ".cache", ignore_errors=True)
    print(f"Wrote {sum(1 for p in expected.rglob('*') if p.is_file())} files to {expected.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
