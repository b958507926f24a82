"""No one is asked to act with nothing to decide (RULES.md, Betting).

When every other player still in the hand is all-in and a player has put in at least as
much as the largest of their contributions, no one can win another chip from it: the round
ends for it, and what is above the others' wagers comes back as uncalled. Facing only
all-in players, a call goes no further than what someone can win.
"""

from scenario import Table, deck

from sim.engine import events as ev
from sim.engine.actions import Call, Fold

NO_HELP_BOARD = "2c 3d 7h 9s Tc"


def kinds(events: list[ev.Event]) -> list[type]:
    return [type(e) for e in events]


def test_heads_up_big_blind_all_in_for_one_chip_is_not_a_decision(monkeypatch):
    # Blinds 1/2; the big blind (seat 1) holds 1 chip. The button posts 1, the big blind
    # is all-in for 1: nothing the button does can win or lose another chip.
    t = Table({0: 100, 1: 1}, decks={1: deck(["As Ad", "Ks Kd"], NO_HELP_BOARD)})
    events = t.hand_events(1)
    assert ev.TurnStarted not in kinds(events)
    assert t.of(ev.BetReturned, events) == []
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 2, ((1, 2),))]
    assert t.final_stacks(1) == [99, 2]  # seat 1's aces double it up
    assert t.record(1).actions == []


def test_heads_up_short_big_blind_call_is_priced_at_what_it_can_win(monkeypatch):
    # Blinds 2/4; the big blind holds 3. The button has put in 2 of the 3 it can be beaten
    # for: it decides, and a call costs 1, not the 2 to the full big blind.
    t = Table({0: 100, 1: 3}, small_blind=2, big_blind=4,
              decks={1: deck(["As Ad", "Ks Kd"], NO_HELP_BOARD)})
    legal = t.legal()
    assert (legal.seat, legal.call, legal.can_check, legal.can_raise) == (0, 1, False, False)
    events = t.do(Call(0))
    assert t.of(ev.Called, events) == [ev.Called(0, 1)]
    assert t.of(ev.BetReturned, events) == []
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 6, ((1, 6),))]
    assert t.final_stacks(1) == [97, 6]


def test_heads_up_short_big_blind_fold_gives_up_only_the_small_blind(monkeypatch):
    t = Table({0: 100, 1: 3}, small_blind=2, big_blind=4,
              decks={1: deck(["As Ad", "Ks Kd"], NO_HELP_BOARD)})
    events = t.do(Fold(0))
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(1, 1)]  # above the button's 2
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 4, ((1, 4),))]
    assert t.final_stacks(1) == [98, 5]


def test_heads_up_ante_puts_the_big_blind_all_in(monkeypatch):
    # Ante 5, blinds 5/10; the big blind holds 3, all of it in the ante. The button put in
    # 10 (ante and small blind): 7 of it is uncalled, and the board runs out.
    t = Table({0: 100, 1: 3}, small_blind=5, big_blind=10, ante=5,
              decks={1: deck(["Ks Kd", "Qs Qd"], NO_HELP_BOARD)})
    events = t.hand_events(1)
    assert ev.TurnStarted not in kinds(events)
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(0, 7)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 6, ((1, 6),))]
    assert t.final_stacks(1) == [97, 6]


def test_antes_put_both_blinds_all_in_three_way(monkeypatch):
    # Ante 5, blinds 5/10: the small blind (seat 1) holds 4 and the big blind (seat 2) 3,
    # both all-in from their antes. The button's ante of 5 already covers them both.
    t = Table({0: 100, 1: 4, 2: 3}, small_blind=5, big_blind=10, ante=5,
              decks={1: deck(["Qs Qd", "Ks Kd", "As Ad"], NO_HELP_BOARD)})
    events = t.hand_events(1)
    assert ev.TurnStarted not in kinds(events)
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(0, 1)]
    # Main pot 3 x 3 for everyone (seat 0's aces), side pot 1 + 1 for seats 0 and 1.
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(1, 2, ((0, 2),)),
                                           ev.PotAwarded(0, 9, ((0, 9),))]
    assert t.final_stacks(1) == [107, 0, 0]


def test_three_way_small_blind_left_facing_a_one_chip_big_blind(monkeypatch):
    # Blinds 1/2; the big blind (seat 2) holds 1 chip. The button folds; the small blind
    # has put in 1, as much as the all-in big blind: the hand runs out with no decision.
    t = Table({0: 100, 1: 100, 2: 1},
              decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], NO_HELP_BOARD)})
    assert t.legal().seat == 0
    assert t.legal().call == 2  # seat 1 still has chips: the full big blind to call
    events = t.do(Fold(0))
    assert t.of(ev.TurnStarted, t.hand_events(1)) == [ev.TurnStarted(0)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 2, ((2, 2),))]
    assert t.final_stacks(1) == [100, 99, 2]


def test_three_way_call_is_priced_at_the_full_big_blind_while_someone_can_answer(monkeypatch):
    # The same table: the button calls the full 2, because the small blind, with chips
    # behind, can still win them; when the small blind folds, the 1 above the all-in big
    # blind comes back to the button.
    t = Table({0: 100, 1: 100, 2: 1},
              decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], NO_HELP_BOARD)})
    t.do(Call(0))
    events = t.do(Fold(1))
    assert t.of(ev.TurnStarted, t.hand_events(1)) == [ev.TurnStarted(0), ev.TurnStarted(1)]
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(0, 1)]
    assert t.final_stacks(1) == [99, 99, 3]  # seat 2's aces win the 1 from each
