"""The per-run DuckDB store: ``runs/NAME/stats.duckdb``.

- ``schema``: the row types the table player fills (one per table of hands, actions and
  results) and the column types; the store's tables are built from them.
- ``writer``: ``Store``, the single writer of a run's file, and ``TableRecord``, one
  finished table ready to store.
"""
