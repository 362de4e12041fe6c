"""`python -m votepact` works like `python build.py`."""
from .cli import leave, main

leave(main())
