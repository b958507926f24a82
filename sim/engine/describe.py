"""Readable, multi-line descriptions of the table, the hand and a player, for humans."""

from __future__ import annotations

from sim.engine.cards import cards_to_str
from sim.engine.legal import legal_actions
from sim.engine.state import PHASE_NAMES, STATUS_NAMES, STREET_NAMES, TableState


def describe_player(state: TableState, seat: int) -> str:
    """``seat 2 bob: stack 180, bet 20, in hand [As Kd]`` (cards as the table knows them)."""
    name = state.player[seat]
    if name is None:
        return f"seat {seat}: empty"
    parts = [f"stack {state.stack[seat]}"]
    if state.bet[seat]:
        parts.append(f"bet {state.bet[seat]}")
    if state.phase and state.dealt[seat]:
        parts.append("folded" if state.folded[seat] else
                     "all-in" if state.stack[seat] == 0 else "in hand")
        hole = state.hole[seat]
        if hole:
            parts.append(f"[{cards_to_str(hole)}]" + (" shown" if state.shown[seat] else ""))
    else:
        parts.append(STATUS_NAMES[state.status[seat]])
    pending = [label for label, on in (("leaving", state.pending_leave[seat]),
                                        ("posting", state.will_post[seat]),
                                        ("missed the big blind", state.missed_bb[seat]),
                                        (f"rebuying {state.pending_rebuy[seat]}",
                                         bool(state.pending_rebuy[seat]))) if on]
    if state.pending_status[seat]:
        pending.append("sitting out next hand" if state.pending_status[seat] == 1
                       else "sitting in next hand")
    marks = "".join(mark for mark, at in (
        (" (button)", state.button), (" (to act)", state.to_act)) if at == seat)
    text = f"seat {seat} {name}{marks}: {', '.join(parts)}"
    return text + (f"; {', '.join(pending)}" if pending else "")


def describe_hand(state: TableState) -> str:
    if not state.hand_no:
        return "no hand has been played"
    street = STREET_NAMES[state.street]
    lines = [f"hand {state.hand_no} ({PHASE_NAMES[state.phase]}), {street}, button seat "
             f"{state.button}, blinds at seats {state.small_blind_seat}/{state.big_blind_seat}",
             f"board [{cards_to_str(state.board)}], pot {state.pot}, current bet "
             f"{state.current_bet}, min raise {state.min_raise}, actions {state.hand_actions}"]
    for amount, eligible in state.pots:
        lines.append(f"  pot {amount} for seats {', '.join(map(str, eligible))}")
    legal = legal_actions(state)
    if legal is not None:
        lines.append(f"seat {legal.seat} to act: {legal.describe()}")
    return "\n".join(lines)


def describe_table(state: TableState) -> str:
    c = state.config
    head = (f"table: {c.seats} seats, blinds {c.small_blind}/{c.big_blind}, ante {c.ante}, "
            f"buy-in {c.min_buy_in}..{c.max_buy_in}, seed {state.table_seed}; chips in "
            f"{state.chips_in}, out {state.chips_out}, on the table {state.table_chips()}")
    seats = [describe_player(state, s) for s in range(c.seats)]
    return "\n".join([head, describe_hand(state), *seats])
