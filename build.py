#!/usr/bin/env python3
"""VotePact site generator: `python build.py [build|serve|check|new] --help` (the same as `votepact`)."""
import sys

from votepact.cli import main

if __name__ == "__main__":
    sys.exit(main())
