"""Objects sent between the package and a patched copy of it, whichever build each runs.

The package may run compiled (mypyc) while its copies always run its sources as plain
Python, and the two builds pickle the same class differently: a compiled class keeps its
fields in native slots and pickles them as a dict, a plain class with ``__slots__`` expects
them back as a pair of dicts, so an object pickled by one build does not load in the
other. ``dumps`` pickles every object of the package's own classes by its fields alone, set
back one by one by ``rebuilt``, with no method of the class run on the way (no reader of
a snapshot or a log: a planted bug in one must not meet the data before the job does).
``pickle.loads`` reads what ``dumps`` wrote, in either build.

    payload = dumps(case)          # in the package ...
    case = pickle.loads(payload)   # ... and in the copy, or the other way round
"""

from __future__ import annotations

import enum
import importlib
import io
import pickle
from typing import Any


def dumps(value: Any) -> bytes:
    """``value`` pickled so that either build can load it (see the module docstring)."""
    out = io.BytesIO()
    _Pickler(out, pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def rebuilt(module: str, name: str, fields: dict[str, Any]) -> Any:
    """An object of class ``module.name`` with ``fields`` set, its ``__init__`` not run."""
    cls = getattr(importlib.import_module(module), name)
    obj = cls.__new__(cls)
    if hasattr(cls, "__mypyc_attrs__"):  # compiled: its fields are set natively, frozen or not
        obj.__setstate__(fields)
    else:
        for field, value in fields.items():
            object.__setattr__(obj, field, value)
    return obj


# Pickled as pickle does it: classes and enums by name; a named tuple, a subclass of a
# builtin container or an exception by its own reduce, the same in both builds (as is a
# class that says how it pickles, with a ``__reduce__`` of its own).
_OWN_WAY = (type, enum.Enum, tuple, list, dict, set, frozenset, int, str, BaseException)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if (not cls.__module__.startswith("sim.") or isinstance(obj, _OWN_WAY)
                or cls.__reduce__ is not object.__reduce__):
            return NotImplemented  # as pickle does it: by name, or by its own reduce
        return rebuilt, (cls.__module__, cls.__qualname__, _fields(obj))


def _fields(obj: Any) -> dict[str, Any]:
    """Every field of ``obj`` that is set: native ones (compiled), slots, or a dict."""
    names: list[str] = list(getattr(type(obj), "__mypyc_attrs__", ()))
    for klass in type(obj).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    fields = {name: getattr(obj, name) for name in dict.fromkeys(names)
              if name not in ("__dict__", "__weakref__") and hasattr(obj, name)}
    fields.update(getattr(obj, "__dict__", {}))
    return fields
