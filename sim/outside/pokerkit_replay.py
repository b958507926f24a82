"""Replaying a finished hand in PokerKit beside our own state: the engine of the oracle.

``Replay(record, pokerkit).run()`` rebuilds our state event by event and drives a PokerKit
state (0.7.7) with the same players, stacks, blinds, ante and cards; at every decision it
compares the legal options and at the end the final stacks, masking by name where PokerKit
follows a different rule on purpose (``MASKS``). ``sim.outside.pokerkit_oracle`` is the
API: ``compare_hand(record)``.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Any, Final

from sim.engine.apply import apply
from sim.engine.cards import card_to_str
from sim.engine.events import (
    BetMade,
    BlindPosted,
    BoardDealt,
    Called,
    CardsMucked,
    CardsShown,
    Checked,
    Event,
    Folded,
    HandEnded,
    HoleCardsDealt,
    PotAwarded,
    RaisedTo,
    TurnStarted,
)
from sim.engine.legal import LegalActions, legal_actions
from sim.engine.log import HandRecord
from sim.engine.state import NOT_ACTED, STREET_NAMES, TableState

MASKS: Final[dict[str, str]] = {
    "short_big_blind_call": "The big blind (and any live post) was less than a full big "
                            "blind: we price the call at the full big blind, PokerKit at "
                            "what was posted; the hand is compared no further.",
    "heads_up_equal_blinds": "The button posted the small blind (heads-up, or with one "
                             "other regular player and live posts), as much as the big "
                             "blind: PokerKit starts the preflop betting left of the button, "
                             "we after the big blind; the hand is compared no further.",
    "live_blind_order": "A player posted a live big blind from a seat after the big blind: "
                        "PokerKit takes it for a straddle and starts the preflop betting "
                        "after it, we after the big blind; the hand is compared no further.",
    "incomplete_all_in_reopens": "Before any full bet or raise on the street, a player who "
                                 "had acted faced a short all-in: PokerKit may let them "
                                 "raise, we do not; their raise range is not compared.",
    "raise_nobody_can_call": "A bet or raise was open although no other player can put in "
                             "more than the current bet: we offer it, PokerKit refuses it; "
                             "the raise range is not compared, and a raise taken there ends "
                             "the comparison.",
    "dead_decision_asked": "PokerKit asks a player who has nothing to decide (every other "
                           "player still in is all-in for no more than their bet); we do "
                           "not, and the replay checks for them.",
    "odd_chips_remainder": "A pot split with two or more odd chips: PokerKit gives them all "
                           "to the first winner, we give one each; those winners' final "
                           "stacks are compared by their total.",
    "merged_side_pots": "Two or more pots were split between the same tied winners with two "
                        "or more odd chips among them: PokerKit merges such pots before "
                        "splitting, which moves odd chips; those winners' final stacks are "
                        "compared by their total.",
}
# Masks after which the rest of the hand (decisions and final stacks) is not compared.
ENDING: Final = frozenset({"short_big_blind_call", "heads_up_equal_blinds", "live_blind_order"})

WAGERS: Final = (Folded, Checked, Called, BetMade, RaisedTo)
SETTLING: Final = (BoardDealt, CardsShown, CardsMucked, HandEnded)  # no one may be to act



# -- PokerKit set-up --------------------------------------------------------------------------

_CARDS: list[Any] = []  # PokerKit's Card for each of our card ints, built on first use
_HAND_TYPE: list[Any] = []  # the class of _cached_hand_type, built on first use


def _pk_cards(pokerkit: Any, cards: tuple[int, ...]) -> tuple[Any, ...]:
    if not _CARDS:
        _CARDS.extend(next(iter(pokerkit.Card.parse(card_to_str(c)))) for c in range(52))
    return tuple(_CARDS[c] for c in cards)


def _cached_hand_type(pokerkit: Any) -> Any:
    """PokerKit's StandardHighHand with two caches that change no result.

    At the showdown PokerKit evaluates every player's hand again for every player and every
    pot (to know who can still win), and compares hands by recomputing their lookup entry
    each time: most of the oracle's time. This subclass keeps each evaluation for the hand
    being compared (``cache``, cleared per hand) and each hand's entry on the hand."""
    if not _HAND_TYPE:
        base = pokerkit.StandardHighHand

        class CachedHighHand(base):  # type: ignore[misc, valid-type]
            cache: dict[tuple[Any, ...], Any] = {}

            @classmethod
            def from_game(cls, hole_cards: Any, board_cards: Any = ()) -> Any:
                key = (tuple(hole_cards), tuple(board_cards))
                hand = cls.cache.get(key)
                if hand is None:
                    hand = cls.cache[key] = super().from_game(*key)
                return hand

            @property
            def entry(self) -> Any:
                entry = self.__dict__.get("_entry")
                if entry is None:
                    entry = self.__dict__["_entry"] = self.lookup.get_entry(self.cards)
                return entry

        _HAND_TYPE.append(CachedHighHand)
    return _HAND_TYPE[0]


def _new_game(pokerkit: Any, record: HandRecord) -> Any:
    """A PokerKit hand with the record's players, from the seat left of the button (PokerKit's
    index 0) to the button (the last index), posting antes and blinds on its own."""
    started, state = record.started, record.snapshot
    config, seats = state.config, started.dealt
    assert seats[-1] == started.button, "the dealing order ends with the button"
    if len(seats) == 2:
        # PokerKit heads-up: index 0 posts blinds[1] (the big blind), index 1 blinds[0].
        assert seats == (started.big_blind_seat, started.small_blind_seat)
        blinds: tuple[int, ...] = (config.small_blind, config.big_blind)
    else:
        blinds = tuple(config.big_blind if s == started.big_blind_seat or s in started.posters
                       else config.small_blind if s == started.small_blind_seat else 0
                       for s in seats)
    automations = tuple(getattr(pokerkit.Automation, name) for name in (
        "ANTE_POSTING", "BET_COLLECTION", "BLIND_OR_STRADDLE_POSTING",
        "RUNOUT_COUNT_SELECTION", "HAND_KILLING", "CHIPS_PUSHING", "CHIPS_PULLING"))
    # Ante trimming on: antes count as contributions by level, as ours do. Cash-game mode:
    # a fold when checking is free is allowed (PokerKit only warns).
    game = pokerkit.NoLimitTexasHoldem.create_state(
        automations, True, config.ante, blinds, config.big_blind,
        tuple(state.stack[s] for s in seats), len(seats), mode=pokerkit.Mode.CASH_GAME)
    assert game.hand_types == (pokerkit.StandardHighHand,)
    hand_type = _cached_hand_type(pokerkit)
    hand_type.cache.clear()
    game.hand_types = (hand_type,)
    return game


# -- the replay -------------------------------------------------------------------------------

class Replay:
    """Our state rebuilt event by event beside a PokerKit state driven by the same hand."""

    def __init__(self, record: HandRecord, pokerkit: Any) -> None:
        self.record = record
        self.pokerkit = pokerkit
        self.state: TableState = record.snapshot.copy()
        self.seats: tuple[int, ...] = record.started.dealt
        self.index_of = {seat: k for k, seat in enumerate(self.seats)}
        self.game = _new_game(pokerkit, record)
        self.step = 0
        self.decisions = 0
        self.masks: Counter[str] = Counter()
        self.differences: list[str] = []
        self.stopped = False
        self.opened = False  # the opening situations (blinds, posts) were looked at
        self.full_wager = False  # a full bet or raise was made on this street
        self.raise_mask = ""  # the mask on the raise range of the decision now open
        self.posted: dict[int, int] = {}  # seat -> blind or live post
        self.awards: list[PotAwarded] = []

    def run(self) -> None:
        for step, (_, events) in enumerate(self.record.steps):
            self.step = step
            for event in events:
                self.before(event)
                if self.stopped:
                    return
                apply(self.state, event)
                self.after(event)
                if self.stopped:
                    return

    def before(self, event: Event) -> None:
        """Bring PokerKit to the point where ``event`` happens."""
        kind = type(event)
        if kind in WAGERS:
            self.sync(event.seat)  # type: ignore[union-attr]
        elif kind in SETTLING:
            self.sync(None)

    def after(self, event: Event) -> None:
        kind = type(event)
        if kind is TurnStarted:
            assert isinstance(event, TurnStarted)
            self.decide(event.seat)
        elif kind in WAGERS:
            self.wager(event)
        elif kind is HoleCardsDealt:
            assert isinstance(event, HoleCardsDealt)
            self.game.deal_hole(_pk_cards(self.pokerkit, event.cards),
                                self.index_of[event.seat])
        elif kind is BoardDealt:
            assert isinstance(event, BoardDealt)
            self.deal_board(event)
        elif kind is CardsShown or kind is CardsMucked:
            self.show(event.seat, kind is CardsShown)  # type: ignore[union-attr]
        elif kind is BlindPosted:
            assert isinstance(event, BlindPosted)
            self.posted[event.seat] = event.amount
        elif kind is PotAwarded:
            assert isinstance(event, PotAwarded)
            self.awards.append(event)
        elif kind is HandEnded:
            self.finish()

    # -- findings -----------------------------------------------------------------------------
    def mask(self, name: str) -> None:
        assert name in MASKS, f"unknown mask {name}"
        self.masks[name] += 1
        if name in ENDING:
            self.stopped = True

    def differ(self, sentence: str) -> None:
        self.differences.append(f"dispatch {self.step}: {sentence}")
        self.stopped = True

    def where(self, seat: int) -> str:
        return f"seat {seat} ({STREET_NAMES[self.state.street]})"

    # -- turns --------------------------------------------------------------------------------
    def sync(self, seat: int | None) -> None:
        """Bring PokerKit to ``seat``'s turn (None: to no one's), letting the players PokerKit
        asks with nothing to decide check; any other mismatch of turns is a difference."""
        game = self.game
        if not self.opened and (seat is not None or game.actor_index is not None):
            self.opened = True
            opening = self.opening_mask()
            if opening:
                self.mask(opening)
                return
        want = None if seat is None else self.index_of[seat]
        for _ in range(len(self.seats) + 1):  # each round lets one player check
            actor = game.actor_index
            if actor == want:
                return
            other = None if actor is None else self.seats[actor]
            if other is None or not self.nothing_to_decide(other):
                ours = "no one" if seat is None else f"seat {seat}"
                theirs = "no one" if other is None else f"seat {other}"
                self.differ(f"we ask {ours} to act ({STREET_NAMES[self.state.street]}), "
                            f"PokerKit asks {theirs}.")
                return
            self.mask("dead_decision_asked")
            if game.checking_or_calling_amount:
                self.differ(f"PokerKit asks seat {other}, who has nothing to decide, to "
                            f"call {game.checking_or_calling_amount}.")
                return
            game.check_or_call()
        raise AssertionError("PokerKit kept asking players with nothing to decide")

    def opening_mask(self) -> str:
        """The mask of the blinds' situation, if any (looked at when the first decision of
        the hand comes, in either engine)."""
        started, config = self.record.started, self.state.config
        posted = self.posted
        top = max(posted.values(), default=0)
        if top < config.big_blind:
            return "short_big_blind_call"
        # PokerKit starts the betting after the last, in its order, of the largest blinds
        # posted; we start it after the big blind.
        last = self.seats[max(self.index_of[s] for s, amount in posted.items()
                              if amount == top)]
        if last == started.big_blind_seat:
            return ""
        return "live_blind_order" if last in started.posters else "heads_up_equal_blinds"

    def nothing_to_decide(self, seat: int) -> bool:
        """Every other player still in is all-in, for no more than ``seat``'s bet."""
        state = self.state
        top = 0
        for other in self.seats:
            if other != seat and not state.folded[other]:
                if state.stack[other]:
                    return False
                top = max(top, state.bet[other])
        return state.bet[seat] >= top

    # -- decisions ------------------------------------------------------------------------------
    def decide(self, seat: int) -> None:
        self.sync(seat)
        if self.stopped:
            return
        legal = legal_actions(self.state)
        assert legal is not None and legal.seat == seat
        self.decisions += 1
        game = self.game
        amount = game.checking_or_calling_amount
        low = game.min_completion_betting_or_raising_to_amount
        high = game.max_completion_betting_or_raising_to_amount
        theirs_raise = None if low is None else (low, high)
        self.raise_mask = self.masked_raise(legal)
        if self.raise_mask:
            self.mask(self.raise_mask)
        same_call = legal.can_check == (amount == 0) and (legal.can_check
                                                          or legal.call == amount)
        same_raise = bool(self.raise_mask) or _raise_range(legal) == theirs_raise
        if not (same_call and same_raise):
            self.differ(f"{self.where(seat)} to act: we offer {_ours(legal)}; PokerKit "
                        f"offers {_theirs(amount, theirs_raise)}.")

    def masked_raise(self, legal: LegalActions) -> str:
        """The mask on this decision's raise range, if the situation calls for one."""
        state, seat = self.state, legal.seat
        others = [s for s in self.seats if s != seat and not state.folded[s]]
        if legal.can_bet or legal.can_raise:
            if all(state.bet[s] + state.stack[s] <= state.current_bet for s in others):
                return "raise_nobody_can_call"
            return ""
        level = state.acted_level[seat]
        if (not self.full_wager and level != NOT_ACTED
                and state.current_bet - level < state.min_raise
                and state.bet[seat] + state.stack[seat] > state.current_bet
                and any(state.stack[s] for s in others)):
            return "incomplete_all_in_reopens"
        return ""

    def wager(self, event: Any) -> None:
        """Play our betting event in PokerKit (the turns were synced before it)."""
        game, kind = self.game, type(event)
        raise_mask, self.raise_mask = self.raise_mask, ""
        try:
            if kind is Folded:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # a fold when checking is free warns
                    game.fold()
            elif kind is Checked or kind is Called:
                expected = event.amount if kind is Called else 0
                done = game.check_or_call().amount
                if done != expected:
                    self.differ(f"seat {event.seat} calls {expected} here, {done} in "
                                "PokerKit.")
            else:
                if raise_mask == "raise_nobody_can_call":
                    self.stopped = True  # PokerKit refuses it: the hands part here
                    return
                self.full_wager = self.full_wager or event.full
                game.complete_bet_or_raise_to(event.total)
        except ValueError as error:
            self.differ(f"PokerKit refuses {self.where(event.seat)}'s {event!r}: {error}")

    def deal_board(self, event: BoardDealt) -> None:
        self.full_wager = False
        game = self.game
        burnt = _pk_cards(self.pokerkit, (event.burnt,))
        if not game.can_burn_card(burnt):
            self.differ(f"we deal the {STREET_NAMES[event.street]}, PokerKit does not "
                        f"(its hand {'goes on' if game.status else 'is over'}).")
            return
        game.burn_card(burnt)
        game.deal_board(_pk_cards(self.pokerkit, event.cards))

    def show(self, seat: int, shown: bool) -> None:
        """Show or muck as we did (PokerKit's own choice would evaluate every hand again)."""
        game = self.game
        index = self.index_of[seat]
        if index not in game.showdown_indices:
            self.differ(f"seat {seat} {'shows' if shown else 'mucks'} here; PokerKit has no "
                        "showdown for it now.")
            return
        game.show_or_muck_hole_cards(shown, index)

    # -- the end --------------------------------------------------------------------------------
    def finish(self) -> None:
        game = self.game
        if game.status:
            self.differ("the hand ends here; PokerKit's goes on.")
            return
        pooled = self.pooled_winners()
        ours = {s: self.state.stack[s] for s in self.seats}
        theirs = {s: game.stacks[k] for k, s in enumerate(self.seats)}
        wrong = [s for s in self.seats if s not in pooled and ours[s] != theirs[s]]
        if wrong:
            self.differ("final stacks differ: " + "; ".join(
                f"seat {s} ends with {ours[s]} here, {theirs[s]} in PokerKit" for s in wrong)
                + ".")
        elif sum(ours[s] for s in pooled) != sum(theirs[s] for s in pooled):
            self.differ(f"the split pots' winners (seats {sorted(pooled)}) end with "
                        f"{sum(ours[s] for s in pooled)} together here, "
                        f"{sum(theirs[s] for s in pooled)} in PokerKit.")

    def pooled_winners(self) -> set[int]:
        """Winners of split pots whose odd chips PokerKit hands out otherwise (counting the
        masks that say why); their stacks are compared by their total."""
        splits = [(a.amount, frozenset(s for s, _ in a.shares)) for a in self.awards
                  if len(a.shares) > 1]
        pooled: set[int] = set()
        if any(amount % len(winners) >= 2 for amount, winners in splits):
            self.mask("odd_chips_remainder")
            pooled.update(w for amount, winners in splits if amount % len(winners) >= 2
                          for w in winners)
        # Merged, pots split between the same winners pool their odd chips: that moves
        # chips when those pots have two or more odd chips between them.
        pots, odd = Counter[frozenset[int]](), Counter[frozenset[int]]()
        for amount, winners in splits:
            pots[winners] += 1
            odd[winners] += amount % len(winners)
        merged = {winners for winners in pots if pots[winners] > 1 and odd[winners] >= 2}
        if merged:
            self.mask("merged_side_pots")
            pooled.update(w for winners in merged for w in winners)
        return pooled


def _raise_range(legal: LegalActions) -> tuple[int, int] | None:
    if legal.can_bet:
        return legal.min_bet, legal.max_bet
    if legal.can_raise:
        return legal.min_raise_to, legal.max_raise_to
    return None


def _options(call: int, raise_range: tuple[int, int] | None) -> str:
    first = "check" if call == 0 else f"call {call}"
    if raise_range is None:
        return f"{first}, no bet or raise"
    low, high = raise_range
    return f"{first}, bet or raise to {low}..{high}"


def _ours(legal: LegalActions) -> str:
    return _options(0 if legal.can_check else legal.call, _raise_range(legal))


def _theirs(amount: int | None, raise_range: tuple[int, int] | None) -> str:
    if amount is None:
        return "no check or call"
    return _options(amount, raise_range)
