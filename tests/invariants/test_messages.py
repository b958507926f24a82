"""A finding's sentence is a template and its values (``sim.finding.Message``), so that one
bug has one shape (``Message.shape``) however its numbers, cards, seats and lists come out.

- No call in ``sim/`` builds a template as a string (an f-string, ``+`` or ``%``): checked
  on the source, call by call.
- Findings of one planted bug on different tables have one shape though their sentences
  differ; two bugs caught by one invariant have two. (The tables are played in the copy of
  the package that carries the bug: one child Python per bug.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import call_in_copy

import sim
from sim.runner import RunSettings, play_table

SIM = Path(sim.__file__).parent
# The calls whose argument is a finding's template: its index among the positional ones.
TEMPLATE_AT = {"fail": 1, "Message": 0}
FOUND_AT = 2  # table.found(kind, name, message): a Message
MESSAGE_MAKERS = ("Message", "Quoted", "shown")


def _built(node: ast.expr) -> bool:
    """A string put together at run time: an f-string, ``a + b``, ``a % b`` or
    ``"...".format(...)`` (either branch of a conditional included)."""
    if isinstance(node, ast.IfExp):
        return _built(node.body) or _built(node.orelse)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format")


def _dotted(node: ast.expr) -> bool:
    """A name, or a name's attribute (``message``, ``stop.message``, ``self.message``)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _a_message(node: ast.expr) -> bool:
    """What ``found`` may take: a Message made on the spot (``Message(...)``,
    ``Quoted(...)``, ``shown(...)``), a name for one, or a method's answer
    (``self.message()``; mypy holds it to the type)."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id in MESSAGE_MAKERS
        return isinstance(func, ast.Attribute) and _dotted(func)
    return _dotted(node)


def _callee(call: ast.Call) -> str | None:
    """``fail`` for ``fail(...)``; ``Message`` for ``Message(...)`` or ``finding.Message(...)``;
    ``.found`` for ``anything.found(...)``. (A bare name only for ``fail``: click's
    ``self.fail`` in the CLI takes a plain error text.)"""
    func = call.func
    if isinstance(func, ast.Name) and func.id in TEMPLATE_AT:
        return func.id
    if isinstance(func, ast.Attribute) and func.attr == "Message":
        return "Message"
    if isinstance(func, ast.Attribute) and func.attr == "found":
        return ".found"
    return None


def offenders(source: str, path: str) -> list[str]:
    """``path:line: why`` for each call in ``source`` that builds its template as a string
    (or gives ``found`` something that is not a Message)."""
    found = []
    for node in ast.walk(ast.parse(source, path)):
        if not isinstance(node, ast.Call):
            continue
        callee = _callee(node)
        if callee is None:
            continue
        if callee == ".found":
            if len(node.args) > FOUND_AT and not _a_message(node.args[FOUND_AT]):
                found.append(f"{path}:{node.lineno}: .found() takes a Message(...), "
                             f"Quoted(...), shown(...) or a name, not "
                             f"{ast.unparse(node.args[FOUND_AT])[:60]}")
            continue
        at = TEMPLATE_AT[callee]
        template = node.args[at] if len(node.args) > at else next(
            (k.value for k in node.keywords if k.arg == "template"), None)
        if template is not None and _built(template):
            found.append(f"{path}:{node.lineno}: {callee}() is given a template built as a "
                         f"string: {ast.unparse(template)[:60]}")
    return found


def test_no_template_is_built_as_a_string():
    found = []
    modules = sorted(SIM.rglob("*.py"))
    assert len(modules) > 50, f"only {len(modules)} modules under {SIM}"
    for path in modules:
        found += offenders(path.read_text(), str(path.relative_to(SIM.parent)))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("call", [
    'raise fail("pot_consistency", f"Pot {pot} is not {paid}.")',
    'raise fail("pot_consistency", "Pot " + str(pot) + " is off.")',
    'raise fail("pot_consistency", "Pot %d is off." % pot)',
    'raise fail("pot_consistency", "Pot {} is off.".format(pot))',
    'raise fail("pot_consistency", f"Pot {pot}." if pot else "No pot.")',
    'why = Message(f"seat {seat} is empty")',
    'why = finding.Message("seat " + str(seat))',
    'raise table.found(Kind.INVARIANT, "oracle", f"PokerKit disagrees on hand {hand}")',
    'raise table.found(Kind.INVARIANT, "oracle", "PokerKit disagrees")',
    'raise table.found(Kind.INVARIANT, "oracle", str(difference))',
])
def test_a_template_built_as_a_string_is_named(call):
    assert offenders(call, "sim/x.py") == [offenders(call, "sim/x.py")[0]]
    assert offenders(call, "sim/x.py")[0].startswith("sim/x.py:1: ")


@pytest.mark.parametrize("call", [
    'raise fail("pot_consistency", "Pot {pot} is not {paid}.", pot=pot, paid=paid)',
    'raise fail("no_negative", template, seat=seat)',
    'why = Message("seat {seat} is empty", seat=seat)',
    'raise table.found(Kind.INVARIANT, NAME, Message("hand {hand}", hand=hand))',
    'raise table.found(Kind.INVARIANT, NAME, Quoted(error))',
    'raise table.found(stop.kind, stop.name, stop.message, tb.format_exc())',
    'raise table.found(Kind.LIVENESS, NAME, self.message())',
    'self.fail(f"{value!r} is not a number of hands.", param, ctx)',  # click's
])
def test_a_template_written_out_passes(call):
    assert offenders(call, "sim/x.py") == []


# -- one bug, one shape -------------------------------------------------------------------

SEED = 5
HANDS = 25  # per table, as tests/test_planted_bugs_e2e.py plays them
TABLES = 12  # at most: each bug below breaks at least two of the first twelve


def found_by(bug: str, invariant: str, wanted: int) -> list[dict[str, str]]:
    """(In the copy carrying ``bug``.) The findings of ``invariant`` on the first tables of
    a swarm run with ``bug`` planted: ``wanted`` of them at most, from as many tables (a bug
    may show first in another invariant on some tables: those are skipped); each as its
    message, its shape and what it says (``str``)."""
    settings = RunSettings(seed=SEED, hands=HANDS * TABLES, hands_per_table=HANDS,
                           planted=(bug,), collect_rows=False)
    found = []
    for table_id in range(TABLES):
        finding = play_table(settings.draw(table_id), HANDS, settings).finding
        if finding is not None and finding.name == invariant:
            found.append({"message": finding.message, "shape": finding.shape,
                          "said": str(finding)})
            if len(found) == wanted:
                break
    return found


def _findings(bug: str, invariant: str, wanted: int) -> list[dict[str, str]]:
    found = call_in_copy([bug], found_by, bug, invariant, wanted)
    assert len(found) == wanted, f"{bug}: {len(found)} {invariant} findings in {TABLES} tables"
    return found


@pytest.mark.parametrize("bug, invariant", [
    ("side_pot_includes_folded", "pot_consistency"),  # pots, contributions, seat lists
    ("waiting_player_dealt_in", "button_and_blinds"),  # seats dealt in, posters ("none")
    ("heads_up_button_posts_big", "button_and_blinds"),  # blinds, seats sitting in, waiting
    ("matched_skip_their_turn", "round_closure"),  # the street, and the event that closed it
])
def test_one_bug_on_several_tables_has_one_shape(bug, invariant):
    found = _findings(bug, invariant, 3)
    messages = {finding["message"] for finding in found}
    shapes = {finding["shape"] for finding in found}
    assert len(messages) == 3, messages  # the sentences differ from table to table...
    assert len(shapes) == 1, shapes  # ... the shape does not
    shape = shapes.pop()
    assert not re.search(r"\d", shape), shape  # no number, seat or card left in it
    assert all(finding["said"].startswith(f"{invariant}: ") for finding in found)


@pytest.mark.parametrize("invariant, bug, other, common", [
    # Both accept a Rebuy(…) the rules forbid: the judge's reason, nested, tells them apart.
    ("verify_agrees", "bool_amount_accepted", "rebuy_ignores_pot_chips",
     "The engine accepted Rebuy(…) though "),
    # Both accept the chaos bot's junk: its kind (shown) and the reason tell them apart.
    ("action_legal", "check_while_owing", "wager_below_minimum",
     "The engine accepted "),
    # Both leave a betting book unlike the events': which book is part of the shape.
    ("legal_actions", "postflop_skips_small_blind", "short_big_blind_sets_call",
     "The state's "),
])
def test_two_bugs_caught_by_one_invariant_have_two_shapes(invariant, bug, other, common):
    shapes = {name: {finding["shape"] for finding in _findings(name, invariant, 2)}
              for name in (bug, other)}
    assert len(shapes[bug]) == 1 and len(shapes[other]) == 1, shapes
    assert shapes[bug] != shapes[other], shapes
    assert all(shape.startswith(common) for found in shapes.values() for shape in found)
