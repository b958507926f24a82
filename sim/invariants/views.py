"""View invariants: what players and spectators are shown.

- ``animation_sanity``: the dispatch's animation steps, played from its before-view, give
  its after-view, which is the public view of the state, and move the chips the stacks
  really moved;
- ``no_private_leak``: a player's view shows only their own hole cards, the board and cards
  shown; the public view and the animation steps carry no unshown hole card.

Both run after every dispatch and are among the costliest checks, so each does its full
work only where it matters (where hands start and end, ``HAND_EDGES``; where hole cards are
dealt or shown, ``VIEW_EVENTS``) unless ``MODE.thorough`` is set.
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.animation import Step, play
from sim.engine.cards import cards_to_str
from sim.engine.events import BoardDealt, CardsShown, HandEnded, HandStarted, HoleCardsDealt
from sim.engine.state import TableState
from sim.engine.views import HIDDEN, PublicView, player_view, public_view, redact, visible_cards
from sim.finding import Message, shown
from sim.invariants.base import MODE, CheckContext, fail, invariant, kinds, mask
from sim.invariants.steps import play_steps

# Where hands start and end, the after-view is rebuilt from the state in full.
HAND_EDGES: Final = mask(HandStarted, HandEnded)


# Events that change which hole cards exist or are shown. Only then is every seat's view
# built (each view is a function of the state, and building one per seat is the costly
# part); otherwise the public after-view of the animation is checked.
VIEW_EVENTS: Final = mask(HoleCardsDealt, CardsShown)
# Events whose feed copies may carry a secret: the deck and its seed, hole and burnt cards.
FEED_EVENTS: Final = mask(HandStarted, HoleCardsDealt, BoardDealt)


@invariant("no_private_leak",
           "No player learns a secret: another player's hole cards until shown (folded and "
           "mucked hands forever), the deck order, its seed and the cards still in it, the "
           "burnt cards. Checked in every player's view, every event of every player's "
           "feed, the public view and every animation step.", frames=True)
def no_private_leak(ctx: CheckContext) -> None:
    s = ctx.state
    public = set(s.board)
    for seat, cards in enumerate(s.hole):
        if cards is not None and s.shown[seat]:
            public.update(cards)
    frame = ctx.animator.last
    if frame is not None:
        leaked = visible_cards(frame.after) - public
        if leaked:
            raise fail("no_private_leak", "The public view reveals {secrets}.",
                       secrets=_secrets(s, leaked))
        if any(step.cards for step in frame.steps):  # compiled, any() of a generator is a loop
            _check_steps(ctx, frame.steps)
    found = kinds(ctx)
    if found & FEED_EVENTS:
        _check_feeds(ctx)
    # With no hole card dealt or shown, every view was checked when they last were.
    if MODE.thorough or found & VIEW_EVENTS:
        _check_seat_views(ctx, public)


def _secrets(s: TableState, cards: set[int]) -> str:
    """``cards`` named with the secret each one is: a seat's hole card, burnt, in the deck."""
    parts = []
    for card in sorted(cards):
        where = "a card still in the deck"
        for seat, hole in enumerate(s.hole):
            if hole is not None and card in hole:
                where = f"seat {seat}'s hole card"
        if card in s.burnt:
            where = "a burnt card"
        parts.append(f"{cards_to_str((card,))} ({where})")
    return ", ".join(parts)


def _check_seat_views(ctx: CheckContext, public: set[int]) -> None:
    """Each view is built as the harness builds the bots' views: on the animator's public
    view of the state (checked by no_private_leak), with the viewer's own cards added."""
    s = ctx.state
    shared = ctx.animator.view_of(s)
    legal = ctx.controller.legal_actions() if ctx.controller.state is s else None
    for viewer in range(s.config.seats):
        if s.player[viewer] is None:
            continue
        view = player_view(s, viewer, shared, legal)
        own = s.hole[viewer] or ()
        leaked = _shown_beyond(view.public, shared) - public - set(own)
        mine = view.public.seats[viewer].cards
        if leaked or view.hole != s.hole[viewer] or mine != (s.hole[viewer] or None):
            raise fail("no_private_leak",
                       "Seat {viewer}'s view reveals {secrets} (its own cards are {own}, its "
                       "view's {view}, its seat's {seat}; public cards {public}).",
                       viewer=viewer, secrets=_secrets(s, leaked) or "nothing",
                       own=cards_to_str(own), view=cards_to_str(view.hole or ()),
                       seat=cards_to_str(mine or ()), public=cards_to_str(sorted(public)))


def _shown_beyond(view: PublicView, shared: PublicView | None) -> set[int]:
    """The cards ``view`` reveals, less those that ``shared`` shows in the same place.

    ``shared`` is the frame's after-view, whose cards ``no_private_leak`` has just checked,
    and a seat's view is built on it: a seat (or the board) that is the very same object
    shows the very same cards, so only the seats the viewer's view rebuilt (its own, or any
    a bug touched) are read. Without it, every card the view reveals."""
    if shared is None or len(view.seats) != len(shared.seats):
        return visible_cards(view)
    cards: set[int] = set()
    if view.board is not shared.board:
        cards.update(view.board)
    mine, theirs = view.seats, shared.seats
    for seat in range(len(mine)):
        if mine[seat] is not theirs[seat] and mine[seat].cards:
            cards.update(mine[seat].cards or ())
    return cards


def _check_feeds(ctx: CheckContext) -> None:
    """Every event that may carry a secret, as each seat's feed gets it (``redact``): the
    deck and the seed it is shuffled from hidden, another seat's hole cards and the burnt
    card hidden, the board's cards as dealt."""
    seats = ctx.state.config.seats
    # Each seat's feed in thorough mode; otherwise a hole card's owner and one other seat,
    # a different one each hand (the deck, seed and burnt cards are hidden from every seat
    # alike, so one viewer suffices for them).
    every = MODE.thorough
    other = ctx.state.hand_no % seats
    events = ctx.events
    current = ctx.log.current
    if ctx.action is None and current is not None and current.started not in events:
        events = [current.started, *events]  # a hand resumed from its snapshot: its start
    for event in events:
        kind = type(event)
        if kind is not HandStarted and kind is not HoleCardsDealt and kind is not BoardDealt:
            continue
        owner = event.seat if type(event) is HoleCardsDealt else other
        viewers = range(seats) if every else ((other,) if owner == other else (other, owner))
        for viewer in viewers:
            sent = redact(event, viewer)
            if type(sent) is not kind:
                raise fail("no_private_leak", "Seat {viewer}'s feed turned {event} into {sent}.",
                           viewer=viewer, event=shown(event), sent=shown(sent))
            if type(sent) is HandStarted:
                if sent.deck or sent.seed != HIDDEN:
                    raise fail("no_private_leak",
                               "Seat {viewer}'s feed shows hand {hand}'s deck ({cards} cards) or "
                               "the seed it is shuffled from ({seed}).", viewer=viewer,
                               hand=sent.hand_no, cards=len(sent.deck), seed=sent.seed)
            elif type(sent) is HoleCardsDealt:
                if sent.seat != viewer and sent.cards:
                    raise fail("no_private_leak",
                               "Seat {viewer}'s feed shows seat {seat}'s hole cards {cards}.",
                               viewer=viewer, seat=sent.seat, cards=cards_to_str(sent.cards))
            elif type(sent) is BoardDealt and type(event) is BoardDealt:
                if sent.burnt != HIDDEN or sent.cards != event.cards:
                    raise fail("no_private_leak",
                               "Seat {viewer}'s feed shows the board dealt as {sent}, the "
                               "dealer's event is {event} (the burnt card is secret).",
                               viewer=viewer, sent=sent, event=event)


def _check_steps(ctx: CheckContext, steps: tuple[Step, ...]) -> None:
    """Per hand of the dispatch (a ``new_hand`` step opens the next), a step may carry only
    cards public in that hand: the board and the hole cards shown. A hole card unshown, a
    burnt card or one still in the deck is a leak."""
    before = ctx.before
    allowed = set(before.board)
    for seat, cards in enumerate(before.hole):
        if cards and before.shown[seat]:
            allowed.update(cards)
    hands = [allowed]
    for event in ctx.events:
        if type(event) is HandStarted:
            hands.append(set())
        elif type(event) is BoardDealt or type(event) is CardsShown:
            hands[-1].update(event.cards)
    hand = 0
    for step in steps:
        if step.kind == "new_hand":  # its cards are the dealt seats' numbers
            hand += 1
            continue
        if step.cards and hand < len(hands):
            leaked = set(step.cards) - hands[hand]
            if leaked:
                # Which step leaked belongs to the shape (the engine's step kinds are
                # names, with no braces): a Message.
                raise fail("no_private_leak",
                           "The public animation step {step} for seat {seat} carries {cards}, "
                           "which the table has not shown.", step=Message(step.kind),
                           seat=step.seat, cards=cards_to_str(sorted(leaked)))


@invariant("animation_sanity",
           "Playing the dispatch's animation steps from its before-view gives its "
           "after-view, which is the public view of the state; the chips the steps move "
           "add up to the real stack changes.", frames=True)
def animation_sanity(ctx: CheckContext) -> None:
    frame = ctx.animator.last
    if frame is None:
        raise fail("animation_sanity", "The animator recorded no frame for this dispatch.")
    # The steps are played by this package's own reading of them; the engine's player
    # (animation.play, which clients use) is called too in thorough mode, and on a mismatch, to
    # say which of the two disagrees. (The tests hold the two equal on thousands of frames.)
    edge = bool(kinds(ctx) & HAND_EDGES)
    thorough = MODE.thorough
    played = (play(frame.before, frame.steps) if thorough
              else play_steps(frame.before, frame.steps))
    if not _stacks_are(played, ctx.state.stack):
        stacks = [seat.stack for seat in played.seats]
        seat = next(x for x, chips in enumerate(stacks) if chips != ctx.state.stack[x])
        raise fail("animation_sanity",
                   "The steps move seat {seat} from {before} to {after} chips, but its stack "
                   "became {stack}.", seat=seat, before=frame.before.seats[seat].stack,
                   after=stacks[seat], stack=ctx.state.stack[seat])
    # Not !=: compiled, == calls PublicView.__eq__ directly; != goes through Record.__ne__
    # and Python's comparison protocol.
    if not played == frame.after:
        by_engine = played if thorough else play(frame.before, frame.steps)
        if by_engine != frame.after:
            raise fail("animation_sanity",
                       "Playing the steps gives a view that differs from the frame's "
                       "after-view in {difference}.",
                       difference=_view_difference(by_engine, frame.after))
        if played != by_engine:
            raise fail("animation_sanity",
                       "animation.play and the steps' documented meaning disagree in "
                       "{difference}.", difference=_view_difference(played, by_engine))
    # The after-view against the state: rebuilt in full where hands start and end; in
    # between, the fields a dispatch changes (a wrong seat field in between shows up above,
    # as steps that do not play to the after-view).
    s = ctx.state
    if edge or thorough:
        now = public_view(s)
        if frame.after != now:
            raise fail("animation_sanity",
                       "The frame's after-view differs from the public view of the state in "
                       "{difference}.", difference=_view_difference(frame.after, now))
    elif not _fingerprint_is(frame.after, s):
        state_print = (s.hand_no, s.to_act, s.pot, len(s.board), s.stack, s.bet)
        if _fingerprint(frame.after) != state_print:
            raise fail("animation_sanity",
                       "The frame's after-view (hand, to act, pot, board size, stacks, bets) "
                       "{view} is not the state's {state}.", view=_fingerprint(frame.after),
                       state=state_print)


def _stacks_are(view: PublicView, stack: list[int]) -> bool:
    """The view's stacks are ``stack``, seat by seat (no list built: after every dispatch)."""
    seats = view.seats
    if len(seats) != len(stack):
        return False
    for seat in range(len(seats)):
        if seats[seat].stack != stack[seat]:
            return False
    return True


def _fingerprint_is(view: PublicView, s: TableState) -> bool:
    """``_fingerprint(view) == (s.hand_no, s.to_act, s.pot, len(s.board), s.stack, s.bet)``,
    field by field: it runs after most dispatches, and the tuples cost more than the test."""
    if (view.hand_no != s.hand_no or view.to_act != s.to_act or view.pot != s.pot
            or len(view.board) != len(s.board) or not _stacks_are(view, s.stack)):
        return False
    seats, bet = view.seats, s.bet
    for seat in range(len(seats)):
        if seats[seat].bet != bet[seat]:
            return False
    return True


def _fingerprint(view: PublicView) -> tuple[Any, ...]:
    return (view.hand_no, view.to_act, view.pot, len(view.board),
            [seat.stack for seat in view.seats], [seat.bet for seat in view.seats])


def _view_difference(mine: Any, theirs: Any) -> str:
    for name in mine.FIELDS:
        a, b = getattr(mine, name), getattr(theirs, name)
        if name == "seats" and a != b:
            for seat, (x, y) in enumerate(zip(a, b, strict=True)):
                if x != y:
                    fields = [f"{f} {getattr(x, f)!r} vs {getattr(y, f)!r}" for f in x.FIELDS
                              if getattr(x, f) != getattr(y, f)]
                    return f"seat {seat}: {', '.join(fields)}"
        if a != b:
            return f"{name}: {a!r} vs {b!r}"
    return "nothing"
