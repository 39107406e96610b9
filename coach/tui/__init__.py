"""The Textual app: home, live, rehearse and review. Only this package imports Textual."""
