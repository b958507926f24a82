"""No engine module holds planted-bug code (STYLE 16: test scaffolding stays out of
production code): no switch (``bugs.active``), no context that plants one (``planted(``),
no import of a bugs module or of ``sim.planted``. Checked on the sources of sim/engine,
statement by statement; planted bugs are edits applied to a copy (``sim.planted``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sim

ENGINE = Path(sim.__file__).resolve().parent / "engine"


def _imported(node: ast.AST) -> list[str]:
    """The dotted names an import statement brings in (``from a import b``: ``a.b``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = "." * node.level + (node.module or "")
        joined = base if base.endswith(".") else base + "."
        return [base] + [joined + alias.name for alias in node.names]
    return []


def offenders(source: str, path: str) -> list[str]:
    """Where ``source`` holds planted-bug code, as ``path:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        for name in _imported(node):
            parts = name.strip(".").split(".")
            if "bugs" in parts or name.strip(".").startswith("sim.planted") or \
                    (parts and parts[0] == "planted"):
                found.append(f"{path}:{node.lineno}: imports {name}")
        if isinstance(node, ast.Attribute) and node.attr == "active" and \
                isinstance(node.value, ast.Name) and node.value.id == "bugs":
            found.append(f"{path}:{node.lineno}: bugs.active")
        if isinstance(node, ast.Call):
            callee = node.func
            name = callee.attr if isinstance(callee, ast.Attribute) else \
                callee.id if isinstance(callee, ast.Name) else None
            if name == "planted":
                found.append(f"{path}:{node.lineno}: planted(...)")
    return found


def test_no_engine_module_holds_planted_bug_code():
    modules = sorted(ENGINE.rglob("*.py"))
    assert len(modules) > 10 and ENGINE / "rules.py" in modules
    found = [offence for module in modules
             for offence in offenders(module.read_text(), str(module.relative_to(ENGINE)))]
    assert found == []
    for module in modules:  # and as text, whatever the syntax around it
        text = module.read_text()
        assert "bugs.active" not in text and "planted(" not in text, module


@pytest.mark.parametrize("code, offence", [
    ("from sim.engine import bugs", "imports sim.engine.bugs"),
    ("import sim.engine.bugs as switches", "imports sim.engine.bugs"),
    ("from . import bugs", "imports .bugs"),
    ("from sim.planted.copy import carried", "imports sim.planted.copy"),
    ("if bugs.active('odd_chip_to_button'):\n    first = button", "bugs.active"),
    ("with bugs.planted('odd_chip_to_button'):\n    pass", "planted(...)"),
])
def test_the_check_names_planted_bug_code(code, offence):
    assert any(found.endswith(offence) for found in offenders(code, "x.py")), \
        offenders(code, "x.py")


def test_the_check_passes_engine_code():
    assert offenders("from sim.engine import cards\nfirst = button + 1\n", "x.py") == []
