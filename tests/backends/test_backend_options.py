"""`sim run --backend/--scheduler`: bad combinations and a missing extra are one-line usage
errors (exit 2) that say what to do."""

from __future__ import annotations

import importlib.util

from conftest import invoke_cli


def test_a_scheduler_needs_the_dask_backend(tmp_path):
    result = invoke_cli("run", "--hands", 10, "--scheduler", "tcp://127.0.0.1:8786",
                        "--out", tmp_path / "run")
    assert result.exit_code == 2
    assert "add --backend dask" in result.output


def test_workers_do_not_go_with_a_scheduler(tmp_path):
    result = invoke_cli("run", "--hands", 10, "--backend", "dask", "--workers", 2,
                        "--scheduler", "tcp://127.0.0.1:8786", "--out", tmp_path / "run")
    assert result.exit_code == 2
    assert "--workers 2 goes with a cluster started here" in result.output


def test_the_dask_backend_without_its_extra_names_the_extra(tmp_path, monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else find_spec(name, *a))
    result = invoke_cli("run", "--hands", 10, "--backend", "dask", "--out", tmp_path / "run")
    assert result.exit_code == 2
    assert "--backend dask needs the dask extra: pip install 'sim[dask]'" in result.output
    assert not (tmp_path / "run").exists()


def test_no_scheduler_at_the_address_is_a_usage_error(tmp_path, monkeypatch):
    import sim.backends.dask

    monkeypatch.setattr(sim.backends.dask, "CONNECT_TIMEOUT_S", 1)
    result = invoke_cli("run", "--hands", 10, "--backend", "dask",
                        "--scheduler", "tcp://127.0.0.1:1", "--out", tmp_path / "run")
    assert result.exit_code == 2
    assert "no Dask scheduler answered at tcp://127.0.0.1:1 within 1 s" in result.output
