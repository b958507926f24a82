"""A plug-in bot module that calls sys.exit(7) when imported (tests/test_bad_inputs.py)."""

import sys

sys.exit(7)
