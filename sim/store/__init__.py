"""The per-run DuckDB store: ``runs/NAME/stats.duckdb``.

- ``schema``: the row types the table player fills (one per table of hands, actions and
  results) and the column types; the store's tables are built from them.
- ``writer``: ``Store``, the single writer of a run's file, and ``TableRecord``, one
  finished table ready to store.
- ``views``: the statistics views (``bot_stats``, ``position_stats``, ...) every store has.
- ``dataset``: the one locked, read-only connection every reader opens, over one run,
  several, folders of runs or Parquet exports (``open_dataset``), and triage's
  (``open_for_bugs``).
- ``export``: ``sim export``, runs as Hive-partitioned Parquet.
- ``digest``: a content digest of a run's stored results (equal digests, equal results).
"""
