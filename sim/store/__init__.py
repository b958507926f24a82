"""The per-run store: the bookkeeping in ``runs/NAME/stats.duckdb``, the hand rows in
Parquet shards beside it (``runs/NAME/shards/``).

- ``schema``: the row types the table player fills (one per table of hands, actions and
  results) and the column types; the store's tables are built from them.
- ``writer``: ``Store``, the single writer of a run's bookkeeping.
- ``shards``: the hand rows the workers write as Parquet, with each task's journal;
  ``--resume``'s recovery from them.
- ``views``: the statistics views (``bot_stats``, ``position_stats``, ...) every store has.
- ``dataset``: the one locked, read-only connection every reader opens, over one run,
  several, folders of runs or Parquet exports (``open_dataset``), and triage's
  (``open_for_bugs``).
- ``export``: ``sim export``, runs as Hive-partitioned Parquet.
- ``digest``: a content digest of a run's stored results (equal digests, equal results).
"""
