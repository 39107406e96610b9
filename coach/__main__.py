"""``python -m coach`` runs the same command as ``coach``."""

from coach.cli import entry_point

entry_point()
