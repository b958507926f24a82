"""The outside world: hands that other programs and real sites produced.

- ``phh``, ``plan``: read the Poker Hand History format (PHH, the ``uoftcprg/phh-std``
  specification: TOML files, ``.phh`` for one hand and ``.phhs`` for a collection) and
  turn a hand into what the engine deals and dispatches.
- ``check``: replays PHH hands through the checked pipeline and counts what it accepted,
  skipped, rejected and could not match (``sim check-phh``).
- ``export``: writes stored hands as PHH (``sim export-phh``).
- ``pokerkit_oracle``: a second engine (PokerKit) as a live oracle, with its deliberate
  rule differences masked by name (``sim run --oracle``: ``sim.hooks.oracle``).
- ``pokerkit_replay``: our state beside PokerKit's, event by event, for the oracle's tests
  and for looking into a difference.

    >>> from pathlib import Path
    >>> from sim.outside.check import check_paths
    >>> report = check_paths([Path("tests/outside/data/pluribus-2019-sample.phhs")])
    >>> report.counts()
    {'accepted': 500, 'skipped': 0, 'rejected': 0, 'mismatched': 0, 'failed': 0}
"""
