"""Failure handling: what the harness does with a finding once a table stops on one.

- ``dump``: ``Case`` (a hand to replay) and ``Dump`` (a case with its finding), the JSON
  file a failing table leaves behind.
- ``sources``: where cases come from: a dump file, a hand stored in a run's database.
- ``replay``: the one replayer: a case through the checked pipeline, with a cursor to step
  through it.
- ``signature``: one signature per bug: the invariant and the message's shape.
- ``shrink``: the smallest hand that still fails with the same signature.
- ``triage``: one row per signature with its shrunk repro (``sim triage``).
- ``guard``: a job in a plain-Python child process that journals each dispatch, stopped
  once it falls silent: ``sim replay``'s replay, and a hung table played again to dump it.
"""
