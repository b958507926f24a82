"""Failure signatures: one bug, one signature, however many tables it broke.

A signature is the finding's name, its message with what varies from table to table
taken out (numbers, cards, seats and player names), and for an exception the exception's
type and the innermost frame of ours (``sim/...``) it went through. Findings with the
same signature are taken to be one bug.

    >>> signature(Finding(Kind.INVARIANT, "pot_consistency", "pot 40 != contributions 38"))
    'pot_consistency: pot N != contributions N'
"""

from __future__ import annotations

import re
from typing import Final

from sim.finding import Finding

_CARD: Final = re.compile(r"\b[2-9TJQKA][cdhs]\b")
_PLAYER: Final = re.compile(r"\b[a-z_]+-\d+\b")  # bot names: kind-seat, as the swarm names them
_NUMBER: Final = re.compile(r"-?\d+")
# A bracketed group holding only data (N, C, P, groups already collapsed), and a run of
# one item repeated ("N, N, N", "C C", "(…), (…)").
_DATA_GROUP: Final = re.compile(r"[(\[](?:[NCP…]|[,;: ]|\(…\))*[)\]]")
_REPEAT: Final = re.compile(r"(\(…\)|\b[NCP]\b)(?:,? \1)+")
_FRAME: Final = re.compile(r'File "[^"]*?/(sim/[^"]+)", line \d+, in (\S+)')
_EXCEPTION: Final = re.compile(r"^(\w[\w.]*(?:Error|Exception|Interrupt|Exit|Warning)?):", re.M)


def shape(message: str) -> str:
    """``message`` with cards, player names and numbers replaced by C, P and N, and lists
    of them (which grow with the hand: pots, shares, boards) by one element."""
    message = _CARD.sub("C", message)
    message = _PLAYER.sub("P", message)
    message = _NUMBER.sub("N", message)
    for _ in range(32):  # bounded: each pass removes at least one bracket pair or repeat
        collapsed = _REPEAT.sub(r"\1", _DATA_GROUP.sub("(…)", message))
        if collapsed == message:
            break
        message = collapsed
    return message


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


def signature(finding: Finding) -> str:
    """The finding's signature (see the module's docstring)."""
    parts = [f"{finding.name}: {shape(finding.message)}"]
    if finding.kind.is_exception:
        kind = exception_type(finding.trace)
        frame = innermost_frame(finding.trace)
        parts += [part for part in (kind, frame) if part]
    return " | ".join(parts)
