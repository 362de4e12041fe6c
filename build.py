#!/usr/bin/env python3
"""VotePact site generator: `python build.py [build|serve|check] --help`."""
from votepact.cli import leave, main

if __name__ == "__main__":
    leave(main())
