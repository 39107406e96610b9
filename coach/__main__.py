"""``python -m coach`` runs the same command as ``coach``."""

from coach.cli.main import entry_point

entry_point()
