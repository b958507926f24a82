"""The outside world: hands that other programs and real sites produced.

``sim.outside.phh`` reads and writes the Poker Hand History format (PHH, the
``uoftcprg/phh-std`` specification: TOML files, ``.phh`` for one hand and ``.phhs`` for a
collection); ``sim.outside.check`` replays PHH hands through the engine with every invariant
on and counts what it accepted, skipped, rejected and could not match;
``sim.outside.export`` writes the store's hands and failure dumps as PHH. A second engine as
a live oracle (PokerKit) belongs here too.

    >>> from sim.outside.check import check_paths
    >>> report = check_paths(["hands/"])
    >>> report.counts()
    {'accepted': 5000, 'skipped': 0, 'rejected': 0, 'mismatched': 0, 'failed': 0}
"""
