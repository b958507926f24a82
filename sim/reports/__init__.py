"""Reports over a run's DuckDB file: the summary `sim report` prints, and `sim query`."""
