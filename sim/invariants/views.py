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
from sim.engine.events import CardsShown, HandEnded, HandStarted, HoleCardsDealt
from sim.engine.views import PublicView, player_view, public_view, visible_cards
from sim.invariants.base import MODE, CheckContext, fail, invariant, kinds, mask
from sim.invariants.steps import play_steps

# Where hands start and end, the after-view is rebuilt from the state in full.
HAND_EDGES: Final = mask(HandStarted, HandEnded)


@invariant("animation_sanity",
           "Playing the dispatch's animation steps from its before-view gives its "
           "after-view, which is the public view of the state; the chips the steps move "
           "add up to the real stack changes.")
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
    stacks = [seat.stack for seat in played.seats]
    if stacks != ctx.state.stack:
        seat = next(x for x, chips in enumerate(stacks) if chips != ctx.state.stack[x])
        raise fail("animation_sanity",
                   f"The steps move seat {seat} from {frame.before.seats[seat].stack} to "
                   f"{stacks[seat]} chips, but its stack became {ctx.state.stack[seat]}.")
    if played != frame.after:
        by_engine = played if thorough else play(frame.before, frame.steps)
        if by_engine != frame.after:
            raise fail("animation_sanity",
                       "Playing the steps gives a view that differs from the frame's "
                       f"after-view in {_view_difference(by_engine, frame.after)}.")
        if played != by_engine:
            raise fail("animation_sanity",
                       "animation.play and the steps' documented meaning disagree in "
                       f"{_view_difference(played, by_engine)}.")
    # The after-view against the state: rebuilt in full where hands start and end; in
    # between, the fields a dispatch changes (a wrong seat field in between shows up above,
    # as steps that do not play to the after-view).
    s = ctx.state
    if edge or thorough:
        now = public_view(s)
        if frame.after != now:
            raise fail("animation_sanity",
                       "The frame's after-view differs from the public view of the state in "
                       f"{_view_difference(frame.after, now)}.")
    else:
        state_print = (s.hand_no, s.to_act, s.pot, len(s.board), s.stack, s.bet)
        if _fingerprint(frame.after) != state_print:
            raise fail("animation_sanity",
                       "The frame's after-view (hand, to act, pot, board size, stacks, bets) "
                       f"{_fingerprint(frame.after)} is not the state's {state_print}.")


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


# Events that change which hole cards exist or are shown. Only then is every seat's view
# built (each view is a function of the state, and building one per seat is the costly
# part); otherwise the public after-view of the animation is checked.
VIEW_EVENTS: Final = mask(HoleCardsDealt, CardsShown)


@invariant("no_private_leak",
           "A player's view reveals only their own hole cards, the board and cards shown; "
           "the public view and the animation steps carry no hole card that was not shown.")
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
            raise fail("no_private_leak",
                       f"The public view reveals {cards_to_str(sorted(leaked))}.")
        if any(step.cards for step in frame.steps):  # compiled, any() of a generator is a loop
            _check_steps(ctx, frame.steps)
    # With no hole card dealt or shown, every view was checked when they last were.
    if MODE.thorough or kinds(ctx) & VIEW_EVENTS:
        _check_seat_views(ctx, public)


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
        leaked = visible_cards(view.public) - public - set(own)
        if leaked or view.hole != s.hole[viewer]:
            raise fail("no_private_leak",
                       f"Seat {viewer}'s view reveals {cards_to_str(sorted(leaked))} "
                       f"(its own cards are {cards_to_str(own)}, public cards "
                       f"{cards_to_str(sorted(public))}).")


def _check_steps(ctx: CheckContext, steps: tuple[Step, ...]) -> None:
    """Per hand of the dispatch (a ``new_hand`` step opens the next), no step may carry a
    hole card of that hand that was not shown."""
    before = ctx.before
    private = {c for seat, cards in enumerate(before.hole) if cards and not before.shown[seat]
               for c in cards}
    hands = [private]
    shown: list[set[int]] = [set()]
    for event in ctx.events:
        if type(event) is HandStarted:
            hands.append(set())
            shown.append(set())
        elif type(event) is HoleCardsDealt:
            hands[-1].update(event.cards)
        elif type(event) is CardsShown:
            shown[-1].update(event.cards)
    hand = 0
    for step in steps:
        if step.kind == "new_hand":  # its cards are the dealt seats' numbers
            hand += 1
            continue
        if step.cards and hand < len(hands):
            leaked = (hands[hand] - shown[hand]).intersection(step.cards)
            if leaked:
                raise fail("no_private_leak",
                           f"The public animation step {step.kind} for seat {step.seat} "
                           f"carries the unshown hole card(s) {cards_to_str(sorted(leaked))}.")
