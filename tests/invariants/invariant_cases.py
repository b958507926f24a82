"""Helpers for the invariant tests: checked tables on rigged decks, and corrupted contexts
(a plain module, not a conftest, so its name cannot clash with another folder's).

    t = checked_table({0: 100, 1: 100, 2: 100},
                      decks={1: deck(["As Ad", "Ks Kd", "2c 7d"], board="2h 3h 9s Jc Qd")})
    ctx = t.dispatch(Call(0))                 # every invariant ran and passed
    bad = variant(ctx, state=broken_state)     # the same dispatch, corrupted
    assert violation("pot_consistency", bad)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pytest

from sim.engine.cards import DECK_SIZE, cards_from_str
from sim.engine.handsetup import HandSetup
from sim.engine.state import TableConfig
from sim.finding import FindingError
from sim.invariants.base import CheckContext, load, run_all, select
from sim.invariants.pipeline import CheckedTable

TABLE_SEED = 20240611

load()


def deck(holes: Sequence[str], board: str = "") -> tuple[int, ...]:
    """A full deck dealing ``holes`` (in dealing order, from the seat left of the button)
    and ``board`` (0 to 5 cards); burns and the rest come from the unused cards in order."""
    pairs = [cards_from_str(h) for h in holes]
    board_cards = list(cards_from_str(board))
    used = [c for p in pairs for c in p] + board_cards
    assert len(set(used)) == len(used), f"a card is used twice in {holes} / {board}"
    spare = [c for c in range(DECK_SIZE) if c not in used]
    out = [p[0] for p in pairs] + [p[1] for p in pairs]
    for count in (3, 1, 1):  # burn + flop, burn + turn, burn + river
        out.append(spare.pop(0))
        for _ in range(count):
            out.append(board_cards.pop(0) if board_cards else spare.pop(0))
    out += spare
    assert sorted(out) == list(range(DECK_SIZE))
    return tuple(out)


def checked_table(stacks: Mapping[int, int], *,
                  seats: int | None = None, small_blind: int = 1, big_blind: int = 2,
                  ante: int = 0, decks: Mapping[int, Sequence[int]] | None = None,
                  seed: int = TABLE_SEED, checks: Iterable[str] | None = None) -> CheckedTable:
    """A CheckedTable (every invariant after every dispatch, or the ``checks`` named) whose
    hand N uses decks[N]."""
    config = TableConfig(seats=seats or max(2, max(stacks) + 1), small_blind=small_blind,
                         big_blind=big_blind, ante=ante, min_buy_in=1, max_buy_in=10_000)
    return CheckedTable(config, seed, {s: (f"p{s}", chips) for s, chips in stacks.items()},
                        checks=checks, keep=16, setups={n: HandSetup(deck=tuple(d))
                                         for n, d in (decks or {}).items()})


def all_but(*left_out: str) -> list[str]:
    """Every invariant's name but those ``left_out``, in the order they run."""
    return [inv.name for inv in select(None) if inv.name not in left_out]


def variant(ctx: CheckContext, **changes: Any) -> CheckContext:
    """A fresh context like ``ctx`` with some fields replaced (nothing memoized)."""
    return ctx.replace(**changes)


def violation(name: str, ctx: CheckContext) -> str:
    """Run invariant ``name`` on ``ctx`` as the harness does (when its ``on`` condition
    holds); assert it fails; return its message."""
    with pytest.raises(FindingError) as info:
        run_all(ctx, select([name]))
    assert info.value.finding.name == name
    return info.value.finding.message


def passes(name: str, ctx: CheckContext) -> None:
    run_all(variant(ctx), select([name]))


def replaced(events: Sequence[Any], kind: type, new: Any, nth: int = 0) -> list[Any]:
    """``events`` with the nth event of type ``kind`` replaced by ``new`` (None: dropped)."""
    out, seen = [], 0
    for event in events:
        if type(event) is kind:
            if seen == nth:
                seen += 1
                if new is not None:
                    out.append(new)
                continue
            seen += 1
        out.append(event)
    assert seen > nth, f"no {kind.__name__} number {nth} in {events}"
    return out


def first(events: Sequence[Any], kind: type) -> Any:
    return next(e for e in events if type(e) is kind)
