"""Every input has an answer: a corpus of bad inputs, one parametrized test.

Each case is a command given something wrong: a path, a config, an option, a PHH file, a
store file, a query. Each must answer with exit 2 (3 for a plug-in bot's fault), one line
that names the problem, no traceback, and no change to anything the user has: the files
it was given, the run and the export it read, the folder it runs in (all hashed before
and after).

To add a case, add a ``Case`` to ``CASES``. Its words may name ``{run}`` (a copy of a
clean small run), ``{export}`` (that run exported as Parquet), ``{work}`` (the case's own
folder, where it runs, holding its ``files``) and ``{out}`` (a folder outside all that,
for the runs a bot-fault case plays).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import fingerprint, invoke_cli
from test_experiment import BASE

Content = str | bytes | Callable[[Path], bytes]  # text, bytes, or made from the run's folder


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    needs: tuple[str, ...]  # words the answer's line must hold
    files: dict[str, Content] = field(default_factory=dict)
    code: int = 2


# -- what the cases are made of ---------------------------------------------------------------

EXPERIMENT = BASE.replace("seats = 4\n", "seats = 4\n{table}\n")


def experiment(table: str = "", top: str = "") -> str:
    return top + EXPERIMENT.format(table=table)


PHH = """\
variant = 'NT'
antes = [0, 0, 0]
blinds_or_straddles = [1, 2, 0]
min_bet = 2
starting_stacks = [100, 100, 100]
actions = ['d dh p1 AsAd', 'd dh p2 KsKd', 'd dh p3 QsQd', 'p3 f', 'p1 cbr 6', 'p2 f']
"""


def phh(old: str = "", new: str = "", extra: str = "") -> str:
    return PHH.replace(old, new) + extra


def cut_short(run: Path) -> bytes:
    return (run / "stats.duckdb").read_bytes()[:500_000]


def flipped(run: Path) -> bytes:
    data = bytearray((run / "stats.duckdb").read_bytes())
    data[len(data) // 2:len(data) // 2 + 4096] = os.urandom(4096)
    return bytes(data)


def duckdb_without_runs(_: Path) -> bytes:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "other.duckdb"
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE x AS SELECT 1 AS a")
        con.close()
        return path.read_bytes()


RUN_ARGS = ("run", "--hands", "100", "--workers", "1", "--out", "{out}/r")
DEEP = "x = " + "[" * 3000 + "1" + "]" * 3000 + "\n"

# -- the corpus -------------------------------------------------------------------------------

PATHS = [
    Case("run-out-is-a-file", (*RUN_ARGS[:-2], "--out", "{work}/a-file"), ("a-file is a file",),
         {"a-file": "x"}),
    Case("run-out-under-a-file", (*RUN_ARGS[:-2], "--out", "{work}/a-file/run"),
         ("a-file is a file",), {"a-file": "x"}),
    Case("run-out-cannot-be-written", (*RUN_ARGS[:-2], "--out", "/proc/sim-run"),
         ("/proc/sim-run cannot be written",)),
    Case("fuzz-out-is-a-file", ("fuzz", "--tables", "1", "--out", "{work}/a-file"),
         ("a-file is a file",), {"a-file": "x"}),
    Case("report-html-is-a-folder", ("report", "{run}", "--html", "{work}"), ("is a folder",)),
    Case("report-html-cannot-be-written", ("report", "{run}", "--html", "/proc/r.html"),
         ("/proc/r.html cannot be written",)),
    Case("report-html-in-a-missing-folder", ("report", "{run}", "--html", "{work}/no/r.html"),
         ("is not a folder",)),
    Case("export-parquet-is-a-file", ("export", "{run}", "--parquet", "{work}/a-file"),
         ("a-file is a file",), {"a-file": "x"}),
    Case("export-parquet-cannot-be-written", ("export", "{run}", "--parquet", "/proc/pq"),
         ("/proc/pq cannot be written",)),
    Case("export-phh-out-is-a-folder", ("export-phh", "{run}", "{work}"), ("is a folder",)),
    Case("export-phh-cannot-be-written", ("export-phh", "{run}", "/proc/h.phhs"),
         ("/proc/h.phhs cannot be written",)),
    Case("export-phh-in-a-missing-folder", ("export-phh", "{run}", "{work}/no/h.phhs"),
         ("is not a folder",)),
    Case("replay-phh-is-a-folder", ("replay", "{run}", "--hand", "0:1", "--phh", "{work}"),
         ("is a folder",)),
    Case("replay-phh-cannot-be-written",
         ("replay", "{run}", "--hand", "0:1", "--phh", "/proc/h.phh"), ("cannot be written",)),
    Case("triage-promote-is-a-file", ("triage", "{run}", "--promote", "{work}/a-file"),
         ("a-file is a file",), {"a-file": "x"}),
    Case("triage-promote-cannot-be-written", ("triage", "{run}", "--promote", "/proc/reg"),
         ("/proc/reg cannot be written",)),
]

CONFIGS = [
    Case(f"config-{name}", (*RUN_ARGS, "--config", "{work}/exp.toml"), needs,
         {"exp.toml": text})
    for name, text, needs in [
        ("big-blind-past-the-store", experiment("big_blind = 10000000000000000000"),
         ("big_blind = 10000000000000000000", "1,000,000,000,000")),
        ("small-blind-past-the-store", experiment("small_blind = 10000000000000"),
         ("small_blind = 10000000000000",)),
        ("ante-past-the-store", experiment("ante = 10000000000000"), ("ante = 10000000000000",)),
        ("buy-ins-past-the-store", experiment("big_blind = 1000000000\nstack_bb = [1, 10000]"),
         ("buy-ins of up to 10,000,000,000,000 chips",)),
        ("stack-bb-past-the-store", experiment("stack_bb = 10000000000000"),
         ("stack_bb = 10000000000000",)),
        ("seed-past-64-bits", experiment(top="seed = 18446744073709551616\n"),
         ("seed = 18446744073709551616",)),
        ("hands-past-the-limit", experiment(top="hands = 100000000000\n"),
         ("hands = 100000000000",)),
        ("hands-per-table-past-the-limit", experiment(top="hands_per_table = 1000000\n"),
         ("hands_per_table = 1000000",)),
        ("a-count-of-a-billion", experiment().replace("count = 2", "count = 1000000000", 1),
         ("count = 1000000000",)),
        ("eleven-seats", experiment().replace("seats = 4", "seats = 11"), ("seats = 11",)),
        ("seats-in-words", experiment().replace("seats = 4", 'seats = "six"'),
         ("seats = 'six'",)),
        ("negative-big-blind", experiment("big_blind = -2"), ("big_blind = -2",)),
        ("fractional-big-blind", experiment("big_blind = 2.5"), ("big_blind = 2.5",)),
        ("stack-range-upside-down", experiment("stack_bb = [150, 50]"), ("stack_bb",)),
        ("small-blind-above-big", experiment("small_blind = 5"), ("small_blind = 5",)),
        ("unknown-key", experiment("colour = 'red'"), ("unknown key 'colour'",)),
        ("not-toml", "[table\nseats = ", ("is not valid TOML",)),
        ("no-bots", "[table]\nseats = 4\n", ("bots must list the line-up",)),
        ("plugin-not-a-bot", experiment().replace('bot = "nit"', 'bot = "plugin_bots:NotABot"'),
         ("is not a subclass",)),
        ("plugin-module-calls-sys-exit",
         experiment().replace('bot = "nit"', 'bot = "plugin_quits_on_import:X"'),
         ("importing plugin_quits_on_import failed: SystemExit(7)",)),
        ("plugin-calls-sys-exit-when-built",
         experiment().replace('bot = "nit"', 'bot = "plugin_bots:QuitsWhenBuilt"'),
         ("raised SystemExit(7) when it was built",)),
    ]
] + [
    Case("config-json-that-is-not-json", (*RUN_ARGS, "--config", "{work}/exp.json"),
         ("--config",), {"exp.json": "{not json"}),
]

OPTIONS = [
    Case(f"option-{name}", tuple(args), needs) for name, args, needs in [
        ("no-hands", [*RUN_ARGS, "--hands", "0"], ("'0' is not a whole number of hands",)),
        ("too-many-hands", [*RUN_ARGS, "--hands", "1e11"], ("10,000,000,000",)),
        ("hands-in-words", [*RUN_ARGS, "--hands", "many"], ("'many' is not a number",)),
        ("negative-seed", [*RUN_ARGS, "--seed", "-1"], ("--seed",)),
        ("seed-past-63-bits", [*RUN_ARGS, "--seed", str(2**63)], ("--seed",)),
        ("no-hands-per-table", [*RUN_ARGS, "--hands-per-table", "0"], ("--hands-per-table",)),
        ("crash-worker-with-one-worker", [*RUN_ARGS, "--fault", "crash_worker=0"],
         ("--fault crash_worker=0", "--workers 2 or more")),
        ("fuzz-crash-worker-with-one-worker",
         ["fuzz", "--tables", "1", "--workers", "1", "--out", "{out}/f", "--fault",
          "crash_worker=0"], ("--workers 2 or more",)),
        ("unknown-fault", [*RUN_ARGS, "--fault", "meteor=1"], ("Unknown fault 'meteor'",)),
        ("fault-rate-past-one", [*RUN_ARGS, "--fault", "crash_restore=2"],
         ("a number from 0 to 1",)),
        ("unknown-planted-bug", [*RUN_ARGS, "--plant-bug", "gremlin"],
         ("Unknown planted bug gremlin",)),
        ("unknown-invariant", [*RUN_ARGS, "--invariants", "vibes"], ("vibes",)),
        ("unknown-oracle", [*RUN_ARGS, "--oracle", "delphi"], ("'delphi' is not an oracle",)),
        ("table-outside-the-run", [*RUN_ARGS, "--table", "5"], ("table 5 is not in this run",)),
        ("resume-with-a-seed", ["run", "--resume", "{run}", "--seed", "3"],
         ("leave out --seed",)),
        ("resume-of-a-folder-without-a-run", ["run", "--resume", "{work}"],
         ("holds no stats.duckdb",)),
        ("scheduler-without-dask", [*RUN_ARGS, "--scheduler", "tcp://x:8786"],
         ("add --backend dask",)),
        ("query-csv-and-json", ["query", "{run}", "SELECT 1", "--csv", "--json"],
         ("choose one of --csv and --json",)),
        ("report-csv-and-json", ["report", "{run}", "--csv", "--json"],
         ("choose one of --csv and --json",)),
        ("report-of-an-empty-folder", ["report", "{work}"], ("holds no run",)),
        ("report-of-a-missing-folder", ["report", "{work}/missing"], ("does not exist",)),
        ("replay-hand-not-table-and-hand", ["replay", "{run}", "--hand", "3"],
         ("'3' is not TABLE:HAND",)),
        ("replay-hand-not-stored", ["replay", "{run}", "--hand", "0:9999"],
         ("hand 9999 of table 0 is not stored",)),
        ("fuzz-without-a-budget", ["fuzz", "--out", "{out}/f"], ("give one of --minutes",)),
    ]
]

# Each must be refused by the locked connection: no file written or read, nothing attached,
# installed or loaded, no setting changed.
QUERIES = [
    ("copy-to-a-file", "COPY hands TO 'out.csv'", "was refused"),
    ("copy-onto-the-export", "COPY (SELECT 1) TO '{export}/hands/run_id=run/data_0.parquet' "
                             "(FORMAT parquet, USE_TMP_FILE false)", "was refused"),
    ("export-database", "EXPORT DATABASE 'dump'", "was refused"),
    ("attach-a-new-file", "ATTACH 'new.duckdb' AS other", "was refused"),
    ("install-an-extension", "INSTALL httpfs", "was refused"),
    ("load-an-extension", "LOAD httpfs", "was refused"),
    ("read-another-file", "SELECT * FROM read_csv('/etc/hostname')", "was refused"),
    ("sniff-another-file", "SELECT * FROM sniff_csv('/etc/hostname')", "was refused"),
    ("read-a-url", "SELECT * FROM 'https://example.com/x.csv'", "was refused"),
    ("turn-access-back-on", "SET enable_external_access = true", "a SET statement"),
    ("unlock-the-configuration", "RESET lock_configuration", "a SET statement"),
    ("delete-hands", "DELETE FROM hands", "a DELETE statement"),
    # The shards are the connection's allowed paths (DuckDB reads them in place) and DuckDB
    # would let a statement write those too: only SELECT statements run.
    ("copy-onto-a-shard", "COPY (SELECT 1) TO '{shard}' (FORMAT parquet, USE_TMP_FILE false)",
     "a COPY statement"),
    ("explain-analyze-copy-onto-a-shard", "EXPLAIN ANALYZE COPY (SELECT 1) TO '{shard}' "
                                          "(FORMAT parquet, USE_TMP_FILE false)",
     "an EXPLAIN statement"),
    ("a-select-then-a-copy-onto-a-shard", "SELECT 1; COPY (SELECT 1) TO '{shard}' "
                                          "(FORMAT parquet, USE_TMP_FILE false)",
     "a COPY statement"),
    ("copy-to-a-new-file-beside-the-shards", "COPY (SELECT 1) TO '{shard}.new.parquet'",
     "a COPY statement"),
    ("copy-inside-query", "SELECT * FROM query('COPY (SELECT 1) TO ''{shard}'' "
                          "(FORMAT parquet, USE_TMP_FILE false)')",
     "Expected a single SELECT statement"),
    ("export-database-into-the-shards", "EXPORT DATABASE '{shards}'", "an EXPORT statement"),
    ("attach-a-shard", "ATTACH '{shard}' AS shard", "an ATTACH statement"),
    ("checkpoint", "CHECKPOINT", "a CALL statement"),
    ("pragma", "PRAGMA version", "a PRAGMA statement"),
    ("prepare-a-copy", "PREPARE p AS COPY (SELECT 1) TO '{shard}'", "a PREPARE statement"),
    ("not-sql", "SELEC nonsense", "the query failed"),
]
QUERY_CASES = [Case(f"query-{name}", ("query", "{run}", sql), (needs,))
               for name, sql, needs in QUERIES] + [
    Case(f"query-export-{name}", ("query", "{export}", sql), (needs,))
    for name, sql, needs in QUERIES[:2]] + [
    Case("export-phh-where-runs-a-second-statement",
         ("export-phh", "{run}", "{work}/h.phhs", "--where", "1=1; COPY hands TO 'x.csv'; --"),
         ("is not one SQL condition on the hands table",)),
    Case("export-phh-where-is-not-sql", ("export-phh", "{run}", "{work}/h.phhs", "--where",
                                         "pot >"), ("is not one SQL condition",)),
    Case("export-phh-where-copies-onto-a-shard",
         ("export-phh", "{run}", "{work}/h.phhs", "--where",
          "pot > (SELECT count(*) FROM query('COPY (SELECT 1) TO ''{shard}'' "
          "(FORMAT parquet, USE_TMP_FILE false)'))"), ("is not one SQL condition",)),
    Case("export-phh-where-reads-a-file",
         ("export-phh", "{run}", "{work}/h.phhs", "--where",
          "pot > (SELECT count(*) FROM read_csv('/etc/hostname'))"), ("/etc/hostname",)),
]

STORE_FILES = [
    Case(f"{command}-{name}", (command, "{work}/run", *extra), needs,
         {"run/stats.duckdb": content})
    for name, content, needs in [
        ("random-bytes", os.urandom(20_000), ("cannot be opened as a run's database",)),
        ("an-empty-file", b"", ("cannot be opened as a run's database",)),
        ("text", "not a database\n", ("cannot be opened as a run's database",)),
        ("cut-short", cut_short, ("is cut short",)),
        ("a-damaged-block", flipped, ("cannot be read", "damaged")),
        ("no-runs-table", duckdb_without_runs, ("no runs table",)),
    ]
    for command, extra in [("query", ("SELECT count(*) FROM hands",)), ("report", ()),
                           ("export", ("--parquet", "{work}/pq"))]
    if not (name == "a-damaged-block" and command == "query")
] + [
    Case(f"resume-{name}", ("run", "--resume", "{work}/run"), needs,
         {"run/stats.duckdb": content})
    for name, content, needs in [
        ("random-bytes", os.urandom(20_000), ("cannot be opened as a run's database",)),
        ("cut-short", cut_short, ("is cut short",)),
        ("no-runs-table", duckdb_without_runs, ("no runs table",)),
    ]
] + [
    Case(f"{command}-random-bytes", (*words, "{work}/run", *extra),
         ("cannot be opened as a run's database",), {"run/stats.duckdb": os.urandom(20_000)})
    for command, words, extra in [("triage", ("triage",), ()),
                                  ("export-phh", ("export-phh",), ("{work}/h.phhs",)),
                                  ("replay", ("replay",), ("--hand", "0:1"))]
] + [
    Case("query-a-folder-without-runs", ("query", "{work}", "SELECT 1"), ("holds no run",)),
    Case("query-a-parquet-file-that-is-not",
         ("query", "{work}/pq", "SELECT count(*) FROM hands"),
         ("cannot read",), {"pq/hands/run_id=x/data_0.parquet": "not parquet"}),
]

PHH_FILES = [
    Case(f"check-phh-{name}", ("check-phh", "{work}/h.phh"), needs, {"h.phh": text})
    for name, text, needs in [
        ("nan-stack", phh("[100, 100, 100]", "[100, nan, 100]"),
         ("starting_stacks holds NaN",)),
        ("negative-stack", phh("[100, 100, 100]", "[100, -5, 100]"),
         ("starting_stacks holds -5",)),
        ("zero-stack", phh("[100, 100, 100]", "[100, 0, 100]"), ("starting_stacks holds 0",)),
        ("stack-in-words", phh("[100, 100, 100]", "[100, 'lots', 100]"),
         ("starting_stacks holds 'lots'",)),
        ("negative-blind", phh("[1, 2, 0]", "[-1, 2, 0]"),
         ("blinds_or_straddles holds -1",)),
        ("negative-ante", phh("antes = [0, 0, 0]", "antes = [-1, -1, -1]"),
         ("antes holds -1",)),
        ("infinite-blind", phh("[1, 2, 0]", "[1, inf, 0]"),
         ("blinds_or_straddles holds Infinity",)),
        ("min-bet-in-words", phh("min_bet = 2", "min_bet = 'two'"), ("min_bet holds 'two'",)),
        ("seats-all-zero", phh(extra="seats = [0, 0, 0]\n"), ("seats = [0, 0, 0]",)),
        ("seats-twice", phh(extra="seats = [1, 1, 2]\n"), ("seats = [1, 1, 2]",)),
        ("seats-too-few", phh(extra="seats = [1, 2]\n"), ("seats = [1, 2]",)),
        ("negative-seat-count", phh(extra="seat_count = -3\n"), ("seat_count = -3",)),
        ("seat-count-below-the-seats", phh(extra="seats = [1, 4, 6]\nseat_count = 5\n"),
         ("seat_count = 5",)),
        ("bet-of-nan", phh("cbr 6", "cbr nan"), ("amount 'nan'",)),
        ("negative-bet", phh("cbr 6", "cbr -6"), ("amount '-6'",)),
        ("bet-in-other-digits", phh("cbr 6", "cbr ²"), ("amount '²' is not a number",)),
        ("finishing-stack-nan", phh(extra="finishing_stacks = [nan, 98, 100]\n"),
         ("finishing_stacks holds NaN",)),
        ("winnings-in-words", phh(extra="winnings = ['a', 0, 0]\n"), ("winnings holds 'a'",)),
        ("rake-in-words", phh(extra="rake = 'some'\n"), ("rake holds 'some'",)),
        ("number-past-decimal", phh(extra="rake = 1e99999999999999999999\n"),
         ("too large or too small",)),
        ("nested-too-deeply", phh(extra=DEEP), ("nested too deeply",)),
        ("not-toml", "variant = \n", ("not TOML",)),
        ("missing-fields", "variant = 'NT'\n", ("no antes",)),
        ("actions-not-a-list", phh("actions = [", "actions = 5 #"), ("actions is a int",)),
        ("not-a-player", phh("'p2 f'", "'p9 f'"), ("'p9' is not a player",)),
        ("not-an-action", phh("'p2 f'", "'p2 dance'"), ("is not PHH action notation",)),
        ("not-a-card", phh("AsAd", "AsXx"), ("Xx",)),
    ]
] + [
    Case("check-phh-not-utf-8", ("check-phh", "{work}/h.phh"), ("cannot be read as UTF-8",),
         {"h.phh": b"\xff\xfe\x00bad"}),
    Case("check-phh-collection-with-a-value", ("check-phh", "{work}/h.phhs"),
         ("is not a hand",), {"h.phhs": "x = 1\n"}),
    Case("check-phh-an-empty-folder", ("check-phh", "{work}/empty"), ("no PHH file",),
         {"empty/.keep": ""}),
    Case("check-phh-a-folder-of-other-files", ("check-phh", "{work}/d"), ("no PHH file",),
         {"d/notes.txt": "hands"}),
    Case("check-phh-an-empty-collection", ("check-phh", "{work}/h.phhs"), ("no hand",),
         {"h.phhs": ""}),
    Case("check-phh-a-missing-file", ("check-phh", "{work}/none.phh"),
         ("no such file or folder",)),
]

BOT_FAULTS = [
    Case(f"plugin-{name}", ("run", "--bot", bot, "--hands", "100", "--hands-per-table", "50",
                            "--seed", "1", "--workers", "1", "--out", "{out}/r"),
         ("bot_fault", words), code=3)
    for name, bot, words in [
        ("sys-exit-on-its-turn", "plugin_bots:Quitter", "raised SystemExit(7) on its turn"),
        ("sys-exit-between-hands", "plugin_bots:QuitsBetweenHands",
         "raised SystemExit(7) between hands"),
        ("raises-on-its-turn", "plugin_bots:Crasher", "raised RuntimeError"),
    ]
]

CASES = PATHS + CONFIGS + OPTIONS + QUERY_CASES + STORE_FILES + PHH_FILES + BOT_FAULTS


def test_the_corpus_is_large_and_its_names_unique():
    assert len(CASES) >= 60
    assert len({case.id for case in CASES}) == len(CASES)


# -- the test -------------------------------------------------------------------------------

def meaningful(output: str) -> list[str]:
    """The answer's lines, without click's usage preamble."""
    return [line for line in output.splitlines() if line.strip()
            and not line.startswith(("Usage: ", "Try '"))]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_bad_input_gets_one_line_and_changes_nothing(case, run_and_export, tmp_path,
                                                       monkeypatch):
    clean = run_and_export
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "out"
    for name, content in case.files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        made = content(clean["run"]) if callable(content) else content
        path.write_bytes(made if isinstance(made, bytes) else made.encode())
    monkeypatch.chdir(work)
    shard = min((clean["run"] / "shards" / "results").rglob("*.parquet"))
    places = {"run": clean["run"], "export": clean["export"], "work": work, "out": out,
              "shard": shard, "shards": shard.parent}
    args = [word.format(**places) for word in case.args]
    before = fingerprint(clean["run"], clean["export"], work)

    result = invoke_cli(*args)

    assert result.exit_code == case.code, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = meaningful(result.output)
    if case.code == 2:
        assert len(lines) == 1, result.output
    named = [line for line in lines if all(word in line for word in case.needs)]
    assert named, f"no line names {case.needs}: {result.output}"
    assert fingerprint(clean["run"], clean["export"], work) == before
