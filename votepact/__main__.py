"""`python -m votepact` works like the `votepact` command."""
import sys

from .cli import main

sys.exit(main())
