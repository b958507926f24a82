"""Invariants and coverage points: what the harness checks after every dispatch.

- ``base``: the registry (``@invariant(name, description, on=...)``, ``select``,
  ``run_all``), ``CheckContext`` and the event-kind masks (``mask``, ``kinds``).
- the invariants themselves, each a small function of a CheckContext, by family:
  ``chips`` (chip_conservation, no_negative, pot_consistency), ``cards`` (cards_unique),
  ``turns`` (action_legal, valid_to_act, legal_actions, verify_agrees), ``rounds``
  (round_closure, liveness), ``blinds`` (button_and_blinds, waiting_for_big_blind),
  ``awards`` (awards_correct, showdown_order), ``views`` (no_private_leak,
  animation_sanity), ``replay`` (replay) and ``decisions`` (no_dead_decision).
- ``oracle``, ``judge``, ``handrank``, ``steps``: independent readings of the rules (pots,
  splits, legal actions, blinds, which actions are legal, hand ranks, animation steps) the
  checks compare the engine with.
- ``walk``: facts several checks share, computed once per dispatch (the dispatch replayed
  event by event, the street's betting books, the hands that ended) and the shared masks.
- ``coverage``: named rule edges counted per run ("sometimes" checks).
- ``pipeline``: the one place that dispatches and checks (``CheckedTable``).
"""
