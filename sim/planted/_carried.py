"""Which planted bugs the running code carries: none, in the package itself. A patched
copy of the package (``sim.planted.copy``) has its own version of this file."""

from __future__ import annotations

CARRIED: tuple[str, ...] = ()
SOURCE: str | None = None  # the package a copy was made from (None: this is the package)
