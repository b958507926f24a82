"""Execution backends: where a run's tables are played (see ``base.Backend``).

- ``inline``: in the main process (``--workers 1``, tests); nothing watches it for hangs;
- ``pool``: a local process pool (``--workers N``, the default);
- ``dask``: a Dask cluster, started here or reached with ``--scheduler`` (the ``dask`` extra).

The pool and Dask kill a worker whose table stopped making progress (``hangs``).

A run opens one by name (``sim.run``; it plays tables, so it is not an example here):

    with open_backend("dask", workers=2, log_queue=queue) as backend: ...
"""

from __future__ import annotations

import importlib.util
from typing import Any

from sim.backends.base import Backend, BackendUnavailable

BACKENDS = ("pool", "dask")  # what --backend accepts; pool with one worker plays inline


def require(name: str) -> None:
    """Raise BackendUnavailable when backend ``name`` cannot be imported here."""
    if name == "dask" and importlib.util.find_spec("distributed") is None:
        raise BackendUnavailable("--backend dask needs the dask extra: pip install 'sim[dask]'")


def open_backend(name: str, workers: int, log_queue: Any = None,
                 scheduler: str | None = None) -> Backend:
    """The backend ``name`` with ``workers`` workers (the cluster's own with ``scheduler``)."""
    assert name in BACKENDS, name
    assert scheduler is None or name == "dask", "a scheduler address is for the dask backend"
    require(name)
    if name == "dask":
        from sim.backends.dask import DaskBackend

        return DaskBackend(workers, scheduler)
    if workers == 1:
        from sim.backends.inline import InlineBackend

        return InlineBackend()
    from sim.backends.pool import PoolBackend

    return PoolBackend(workers, log_queue)
