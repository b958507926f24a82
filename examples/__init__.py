"""Examples to copy: an experiment config and a plug-in bot (see README, "Experiments")."""
