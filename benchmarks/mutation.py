"""Mutation score: how many one-token mutants of the engine's rule modules a short fuzz kills.

Mutants are made here, from the AST (a small mutator of our own, not mutmut: mutmut runs a
test command per mutant and reports by its own cache, while this harness's test is a fuzz
that stops at the first finding, and each mutant needs its own fresh process on the plain
Python build). Each mutant changes one thing in one of sim/engine/{rules, legal, pots,
dealer, apply, views, animation}.py:

    comparison    <  <=  >  >=  ==  !=  is  is not  in  not in  -> its neighbour
    arithmetic    +  -  // %  *  -> the other of + and -, // -> *, % -> //, * -> //
    boolean       and <-> or, `not x` -> x, True <-> False
    constant      an integer n -> n + 1

Assertions, error messages (f-strings, and the body of a branch that ends in ``raise``)
and docstrings are left alone. Each mutant is written into a copy of the source tree
(plain Python: no compiled module is copied) and played by a fresh process: the run's
swarm tables, fixed seed, every invariant in thorough mode (``sim.invariants.base.MODE``:
the engine's own animation player on every frame, every seat's view after every dispatch),
until the first finding (killed), ``--hands`` hands (survived) or ``--timeout`` seconds
(timed out: a mutant that hangs the engine; counted as killed, since a real run's liveness
bound and the worker watchdog stop it too).

    python benchmarks/mutation.py --sample 50          # about 50 mutants, a few minutes
    python benchmarks/mutation.py                      # every mutant (an hour or more)
    python benchmarks/mutation.py --list | head        # the mutants, not run
    python benchmarks/mutation.py > run.txt; python benchmarks/mutation.py --rescore run.txt
    python benchmarks/mutation.py --survivors-of run.txt   # after adding a check

Prints killed / survived / timed out and the survivors (module, the change, the line), then
the score: killed (timeouts included) over mutants run less the survivors that
benchmarks/mutation_equivalent.md explains (by module, change and source line) as
equivalent or as unreachable from a run.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("rules", "legal", "pots", "dealer", "apply", "views", "animation")
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.md")

SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv,
    ast.Mult: ast.FloorDiv, ast.And: ast.Or, ast.Or: ast.And,
}
SYMBOLS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
           ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
           ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Mult: "*", ast.And: "and", ast.Or: "or"}

FUZZ = """
import sys
from sim.bots import draw_table
from sim.runner.player import play_table
from sim.runner.settings import RunSettings
from sim.invariants.base import MODE
MODE.thorough = True
seed, hands, per = map(int, sys.argv[1:4])
settings = RunSettings(seed=seed, hands=hands, hands_per_table=per, collect_rows=False)
done = table = 0
while done < hands:
    outcome = play_table(draw_table(seed, table), per, settings)
    table += 1
    if outcome.finding is not None:
        print(f"{outcome.finding.name} at table {table - 1}, {done + outcome.hands} hands")
        sys.exit(1)
    done += max(outcome.hands, 1)
print(f"survived {done} hands")
"""


@dataclass(frozen=True, slots=True)
class Mutant:
    module: str
    index: int  # the index-th mutation point of the module, in walk order
    line: int
    change: str

    @property
    def key(self) -> str:
        return f"{self.module}:{self.line} {self.change}"

    @property
    def ident(self) -> str:
        """What mutation_equivalent.md names a mutant by: module, change and the source
        line (line numbers move as the code does)."""
        text = (ROOT / "sim" / "engine" / f"{self.module}.py").read_text().splitlines()
        return f"{self.module} | {self.change} | {text[self.line - 1].strip()}"


def _skipped_lines(tree: ast.Module) -> set[int]:
    """Lines not to mutate: assertions, error messages, docstrings."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        spans = isinstance(node, ast.Assert)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            spans = True  # a docstring
        if isinstance(node, ast.JoinedStr):
            spans = True  # an f-string: a message, whatever it computes
        if isinstance(node, ast.If) and isinstance(node.body[-1], ast.Raise):
            first, last = node.body[0], node.body[-1]  # a branch that builds an error
            lines.update(range(first.lineno, (last.end_lineno or last.lineno) + 1))
        if spans:
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def _points(tree: ast.Module) -> list[tuple[ast.AST, int | None, str]]:
    """Every mutation point: (node, which operator of a comparison, the change)."""
    skip = _skipped_lines(tree)
    found: list[tuple[ast.AST, int | None, str]] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        if line is None or line in skip:
            continue
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                if type(op) in SWAPS:
                    found.append((node, k, f"{SYMBOLS[type(op)]} -> "
                                           f"{SYMBOLS[SWAPS[type(op)]]}"))
        elif isinstance(node, (ast.BinOp, ast.BoolOp)) and type(node.op) in SWAPS:
            found.append((node, None, f"{SYMBOLS[type(node.op)]} -> "
                                      f"{SYMBOLS[SWAPS[type(node.op)]]}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append((node, None, "not x -> x"))
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            found.append((node, None, f"{node.value} -> {not node.value}"))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            found.append((node, None, f"{node.value} -> {node.value + 1}"))
    return found


def mutants(modules: tuple[str, ...] = MODULES) -> list[Mutant]:
    out = []
    for module in modules:
        tree = ast.parse((ROOT / "sim" / "engine" / f"{module}.py").read_text())
        for index, (node, _, change) in enumerate(_points(tree)):
            out.append(Mutant(module, index, getattr(node, "lineno", 0), change))
    return out


class _Unnot(ast.NodeTransformer):
    def __init__(self, target: ast.AST) -> None:
        self.target = target

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        if node is self.target:
            return node.operand
        self.generic_visit(node)
        return node


def mutated_source(mutant: Mutant) -> str:
    tree = ast.parse((ROOT / "sim" / "engine" / f"{mutant.module}.py").read_text())
    node, k, _ = _points(tree)[mutant.index]
    if isinstance(node, ast.Compare):
        assert k is not None
        node.ops[k] = SWAPS[type(node.ops[k])]()
    elif isinstance(node, (ast.BinOp, ast.BoolOp)):
        node.op = SWAPS[type(node.op)]()
    elif isinstance(node, ast.UnaryOp):
        tree = _Unnot(node).visit(tree)
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        node.value = not node.value
    elif isinstance(node, ast.Constant):
        node.value = node.value + 1
    return ast.unparse(ast.fix_missing_locations(tree))


def copy_tree(target: Path) -> Path:
    """The package's Python sources (no compiled modules) under ``target``."""
    shutil.copytree(ROOT / "sim", target / "sim",
                    ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    return target


def run_one(mutant: Mutant, tree: Path, args: argparse.Namespace) -> tuple[str, str, float]:
    """``(verdict, detail, seconds)``: killed, survived or timed out."""
    path = tree / "sim" / "engine" / f"{mutant.module}.py"
    original = path.read_text()
    path.write_text(mutated_source(mutant))
    env = {**os.environ, "PYTHONPATH": str(tree), "SIM_PURE": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", FUZZ, str(args.seed), str(args.hands),
                               str(args.hands_per_table)], env=env, cwd=tree,
                              capture_output=True, text=True, timeout=args.timeout)
        seconds = time.perf_counter() - started
        if done.returncode == 0:
            return "survived", done.stdout.strip(), seconds
        lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
        return "killed", lines[-1] if lines else f"exit {done.returncode}", seconds
    except subprocess.TimeoutExpired:
        return "timed out", f"after {args.timeout}s", time.perf_counter() - started
    finally:
        path.write_text(original)


def explained() -> dict[str, str]:
    """The survivors explained in mutation_equivalent.md, by ident: ``equivalent`` (no
    rule can tell the mutant from the engine) or ``unreachable`` (in code a run never
    executes, such as dealing given hands), from lines ``- `module | change | line` ...``
    under the headings that start with those words."""
    found: dict[str, str] = {}
    if not EQUIVALENT.exists():
        return found
    section = ""
    for line in EQUIVALENT.read_text().splitlines():
        if line.startswith("## "):
            section = line[3:].split()[0].lower().strip(":,.")
        match = re.match(r"^- `([a-z]+ \| [^`]+)`", line)
        if match and section in ("equivalent", "unreachable"):
            found[match[1]] = section
    return found


def rescore(log: Path) -> int:
    """The score of a saved run's output, with mutation_equivalent.md as it is now."""
    text = log.read_text()
    verdicts = re.findall(r"^\[\d+/\d+\] (killed|survived|timed out) ", text, flags=re.M)
    idents = re.findall(r"^  \S+ +`([a-z]+ \| [^`]+)`$", text, flags=re.M)
    if len(idents) != verdicts.count("survived"):
        raise SystemExit(f"{log}: {verdicts.count('survived')} survivors but {len(idents)} "
                         "listed; is the run finished?")
    reasons = explained()
    marks = [reasons.get(ident, "SURVIVED") for ident in idents]
    killed = verdicts.count("killed") + verdicts.count("timed out")
    scored = len(verdicts) - marks.count("equivalent") - marks.count("unreachable")
    for ident, mark in zip(idents, marks, strict=True):
        if mark == "SURVIVED":
            print(f"  SURVIVED    `{ident}`")
    print(f"{len(verdicts)} mutants: killed {killed} (timeouts included), survived "
          f"{len(idents)} ({marks.count('equivalent')} equivalent, "
          f"{marks.count('unreachable')} unreachable from a run, {marks.count('SURVIVED')} "
          "unexplained)")
    print(f"mutation score: {killed}/{scored} = {100 * killed / max(scored, 1):.1f}% of the "
          "mutants a run can kill")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, help="run about this many mutants, drawn "
                                                   "with --sample-seed")
    parser.add_argument("--sample-seed", type=int, default=12)
    parser.add_argument("--module", action="append", choices=MODULES)
    parser.add_argument("--seed", type=int, default=5, help="the fuzz's run seed")
    parser.add_argument("--hands", type=int, default=2000, help="hands per mutant")
    parser.add_argument("--hands-per-table", type=int, default=25)
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds per mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--rescore", type=Path, metavar="LOG",
                        help="score a saved run's output again (after explaining survivors)")
    parser.add_argument("--survivors-of", type=Path, metavar="LOG",
                        help="run again only the mutants that survived in a saved run's "
                             "output (after adding checks); its killed ones count as killed")
    args = parser.parse_args(argv)
    if args.rescore:
        return rescore(args.rescore)
    chosen = mutants(tuple(args.module or MODULES))
    total = len(chosen)
    before = 0  # mutants a saved run killed already (--survivors-of)
    kept: list[Mutant] = []  # its survivors explained already: not run again
    if args.survivors_of:
        text = args.survivors_of.read_text()
        seen = re.findall(r"^\[\d+/\d+\] (killed|survived|timed out) +\S+s +"
                          r"([a-z]+:\d+ .+?)  \(", text, flags=re.M)
        alive = [key for verdict, key in seen if verdict == "survived"]
        before = len(seen) - len(alive)
        by_key: dict[str, list[Mutant]] = {}
        for mutant in chosen:
            by_key.setdefault(mutant.key, []).append(mutant)
        chosen = [by_key[key].pop(0) for key in alive]  # the same order as in the log
        total = len(seen)
        reasons = explained()  # explained survivors survive again: not run
        kept = [m for m in chosen if m.ident in reasons]
        chosen = [m for m in chosen if m.ident not in reasons]

    if args.sample:
        chosen = sorted(random.Random(args.sample_seed).sample(chosen, min(args.sample, total)),
                        key=lambda m: (m.module, m.index))
    if args.list:
        for mutant in chosen:
            print(mutant.key)
        return 0
    print(f"{len(chosen)} of {total} mutants; fuzz: seed {args.seed}, {args.hands} hands, "
          f"{args.timeout:.0f}s each", flush=True)
    verdicts: dict[str, list[tuple[Mutant, str]]] = {"killed": [], "survived": [],
                                                     "timed out": []}
    if args.survivors_of:
        verdicts["survived"] = [(m, "explained, not run again") for m in kept]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sim-mutants-") as folder:
        tree = copy_tree(Path(folder))
        for n, mutant in enumerate(chosen, 1):
            verdict, detail, seconds = run_one(mutant, tree, args)
            verdicts[verdict].append((mutant, detail))
            print(f"[{n}/{len(chosen)}] {verdict:9} {seconds:5.1f}s  {mutant.key}  ({detail})",
                  flush=True)
    reasons = explained()
    survivors = verdicts["survived"]
    marks = [reasons.get(m.ident, "SURVIVED") for m, _ in survivors]
    equivalent, unreachable = marks.count("equivalent"), marks.count("unreachable")
    killed = before + len(verdicts["killed"]) + len(verdicts["timed out"])
    scored = before + len(kept) + len(chosen) - equivalent - unreachable
    if before:
        print(f"(a saved run killed {before} others of its {total} mutants: counted killed)")
    print(f"\nkilled {len(verdicts['killed'])}, survived {len(survivors)} ({equivalent} "
          f"equivalent, {unreachable} unreachable from a run, "
          f"{marks.count('SURVIVED')} unexplained), timed out {len(verdicts['timed out'])}"
          f"  in {time.perf_counter() - started:.0f}s")
    for (mutant, _), mark in zip(survivors, marks, strict=True):
        print(f"  {mark:11} `{mutant.ident}`")
    score = killed / scored if scored else 1.0
    print(f"mutation score: {killed}/{scored} = {100 * score:.1f}% of the mutants a run can "
          "kill (equivalent and unreachable ones left out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
