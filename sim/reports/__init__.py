"""What a person reads about runs.

- ``console``: the summary printed at the end of ``sim run`` and ``sim fuzz``.
- ``summary``: ``sim report``: the report of one or more runs from their databases alone,
  as text, JSON or CSV.
- ``html``: ``sim report --html``: the same as one self-contained page of plots and tables.
- ``stats``: bb/100 with a 95% interval, a bootstrap over tables, also an SQL function.
- ``tables``: results as aligned text, CSV or JSON; how counts and numbers print.
"""
