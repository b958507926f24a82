"""Failure signatures: one bug, one signature, however many tables it broke.

A signature is the shape of a finding's message (its template: what varies from table to
table is a value, never part of it; see ``sim.finding.Message``), and for an exception the
exception's type and the innermost frame of ours (``sim/...``) it went through. Findings
with the same signature are taken to be one bug. Which check noticed is not part of it:
two checks that see one failure say it in one sentence (``action_legal`` on an accepted
action the rules forbid, ``verify_agrees`` on a probe the engine accepts: the judge's
``ACCEPTED_ILLEGAL``), and it is one bug wherever it was noticed.

>>> from sim.finding import Finding, Kind, Message
>>> signature(Finding.of(Kind.INVARIANT, "pot_consistency",
...                      Message("Pot {pot} is not {paid}.", pot=40, paid=38)))
'Pot {pot} is not {paid}.'

A finding recorded before findings kept their template (a version-2 dump) has only its
sentence; its shape is then guessed from it (``guessed_shape``: numbers, cards, player
names and lists of them taken out), and compared with a new finding's guessed the same way
(``same_bug``).
"""

from __future__ import annotations

import re
from typing import Final

from sim.finding import Finding, guessed_shape

_FRAME: Final = re.compile(r'File "[^"]*?/(sim/[^"]+)", line \d+, in (\S+)')
_EXCEPTION: Final = re.compile(r"^(\w[\w.]*(?:Error|Exception|Interrupt|Exit|Warning)?):", re.M)


def innermost_frame(trace: str) -> str | None:
    """The innermost ``sim/FILE:function`` of a traceback, if it went through our code."""
    frames = _FRAME.findall(trace)
    return f"{frames[-1][0]}:{frames[-1][1]}" if frames else None


def exception_type(trace: str) -> str | None:
    """The type of the exception a traceback ends with."""
    last = [line for line in trace.strip().splitlines() if line and not line.startswith(" ")]
    if not last:
        return None
    found = _EXCEPTION.match(last[-1])
    return found[1] if found else None


def signature(finding: Finding, legacy: bool = False) -> str:
    """The finding's signature (see the module's docstring); ``legacy``: from the guessed
    shape of its sentence even when it has its template."""
    shape = guessed_shape(finding.message) if legacy or not finding.shape else finding.shape
    parts = [shape]
    if finding.kind.is_exception:
        kind = exception_type(finding.trace)
        frame = innermost_frame(finding.trace)
        parts += [part for part in (kind, frame) if part]
    return " | ".join(parts)


def same_bug(recorded: Finding, found: Finding) -> bool:
    """Do the two findings have one signature? When either was recorded without its
    template, both are compared by the shape guessed from their sentences."""
    legacy = not (recorded.shape and found.shape)
    return signature(recorded, legacy) == signature(found, legacy)
