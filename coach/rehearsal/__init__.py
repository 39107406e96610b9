"""The rehearsal: what the partner makes of the user's words (``understand``).

The partner, its personas and the scorecard are in :mod:`coach.rehearse`.
"""
