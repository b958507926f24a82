"""The ``>>>`` examples in sim's docstrings run, and say what they show (STYLE 18: docstring
examples run or are not there).

Every module of the package is imported, and the examples of its docstrings (module,
classes, functions, read from its source: a module compiled with mypyc keeps none) run in
its namespace, from the repository's root (so ``examples/`` and ``tests/outside/data/``
are where the examples name them), with ``run`` added: the folder of a small clean run,
for the examples that read one. Every ``>>>`` of a module's source must be in an example
that ran.

"""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(info.name for info in pkgutil.walk_packages(sim.__path__, "sim."))


def source_of(name: str) -> Path:
    """Module ``name``'s .py, also when it runs compiled."""
    path = ROOT / Path(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def doctests(name: str, globs: dict[str, object]) -> list[doctest.DocTest]:
    """The examples of every docstring in module ``name``'s source."""
    path = source_of(name)
    tree = ast.parse(path.read_text())
    parser = doctest.DocTestParser()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)):
            continue
        text = ast.get_docstring(node)
        if text and ">>>" in text:
            where = f"{name}.{node.name}" if not isinstance(node, ast.Module) else name
            line = node.body[0].lineno if node.body else 0
            found.append(parser.get_doctest(text, dict(globs), where, str(path), line))
    return found


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_run_and_show_what_they_say(name, small_run, monkeypatch):
    monkeypatch.chdir(ROOT)
    module = importlib.import_module(name)
    tests = doctests(name, {**vars(module), "run": small_run})
    in_source = sum(line.lstrip().startswith(">>>")
                    for line in source_of(name).read_text().splitlines())
    assert sum(len(test.examples) for test in tests) == in_source, \
        f"{name}: a >>> outside a docstring doctest reads"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
