#!/usr/bin/env python3
"""VotePact site generator: `python build.py [build|serve|check] --help`."""
import sys

from votepact.cli import main, leave

if __name__ == "__main__":
    leave(main())
