"""Running a ``sim`` command, or one function, in the patched copy that carries its planted
bugs.

A command that plays or rebuilds hands with planted bugs (``sim run --plant-bug``, the
replay of a stored hand of such a run, its triage) runs whole in the copy
(``sim.planted.copy``): the same arguments, in a child Python whose ``sim`` is the copy.
The child's worker processes (spawned) find the same copy: they inherit its ``sys.path``.
A dump is read by the package itself and only its replay runs in the copy (``call``, as
``sim.failures.replay.replay`` does): a planted bug in reading a snapshot would otherwise
meet the dump before the replay.

    sys.exit(run_command(["odd_chip_to_button"], sys.argv[1:]))
    result = call(["odd_chip_to_button"], "sim.failures.replay:replayed_here", payload)

Its output goes where the parent's goes: straight to the parent's streams when they are
files (a terminal keeps its progress bar), through the parent otherwise (a test's captured
output). A Ctrl-C reaches both; the child decides what it does (the first one finishes the
run cleanly), and the parent waits for it and exits with its code.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable
from typing import IO, Final

from sim.planted.copy import patched_copy
from sim.signals import sigint_handled

# What the child runs: the copy first on its path, then the command line as ``sim``. It
# dies with its parent (the parent's pid comes second): a killed ``sim`` leaves no run
# behind, hung or not.
BOOT: Final = ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
               "from sim.backends.base import die_with_parent; "
               "die_with_parent(int(sys.argv.pop(1))); from sim.cli import main; "
               "main(args=sys.argv[1:], prog_name='sim')")
# Or one function of bytes to bytes: its argument on standard input, its result on standard
# output (what the function prints goes to standard error).
CALL: Final = ("import importlib, sys; sys.path.insert(0, sys.argv[1]); "
               "from sim.backends.base import die_with_parent; "
               "die_with_parent(int(sys.argv[3])); "
               "module, _, name = sys.argv[2].partition(':'); data = sys.stdin.buffer.read(); "
               "out, sys.stdout = sys.stdout, sys.stderr; "
               "result = getattr(importlib.import_module(module), name)(data); "
               "out.buffer.write(result)")


class ChildFailed(RuntimeError):
    """The function run in the copy raised (its traceback is the message)."""


def call(names: Iterable[str], target: str, argument: bytes) -> bytes:
    """``target(argument)`` (``"package.module:function"``, bytes to bytes) run in the copy
    carrying ``names``; ChildFailed with the child's traceback when it raises."""
    done = subprocess.run([sys.executable, "-c", CALL, str(patched_copy(names)), target,
                           str(os.getpid())],
                          input=argument, capture_output=True, check=False)
    if done.returncode != 0:
        raise ChildFailed(f"{target} failed in the copy carrying planted bugs "
                          f"{', '.join(names) or 'none'}:\n"
                          f"{done.stderr.decode(errors='replace')[-4000:]}")
    return done.stdout


def run_command(names: Iterable[str], argv: list[str]) -> int:
    """Run ``sim ARGV`` in the copy carrying ``names``; its exit code."""
    command = [sys.executable, "-c", BOOT, str(patched_copy(names)), str(os.getpid()), *argv]
    with sigint_handled(signal.SIG_IGN):
        if _has_files(sys.stdout, sys.stderr):
            return subprocess.run(command, check=False).returncode
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, bufsize=1)
        assert child.stdout is not None and child.stderr is not None
        errors = threading.Thread(target=_forward, args=(child.stderr, sys.stderr), daemon=True)
        errors.start()
        _forward(child.stdout, sys.stdout)
        errors.join()
        return child.wait()


def _has_files(*streams: IO[str]) -> bool:
    try:
        return all(stream.fileno() >= 0 for stream in streams)
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False


def _forward(source: IO[str], sink: IO[str]) -> None:
    for line in source:
        sink.write(line)
        sink.flush()


