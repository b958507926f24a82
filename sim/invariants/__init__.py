"""Invariants and coverage points: what the harness checks after every dispatch.

- ``base``: the registry (``@invariant``, ``select``, ``run_all``) and ``CheckContext``.
- ``checks``: the invariants themselves, each a small function of a CheckContext.
- ``oracle``, ``handrank``, ``steps``: independent readings of the rules (pots, splits,
  legal actions, blinds, hand ranks, animation steps) the checks compare the engine with.
- ``walk``: facts several checks share, computed once per dispatch (the events' kinds, the
  dispatch replayed event by event, the street's betting books).
- ``coverage``: named rule edges counted per run ("sometimes" checks).
- ``driver``: dispatch, build the context, check, count coverage (``check_dispatch``,
  ``CheckedTable``).
"""
