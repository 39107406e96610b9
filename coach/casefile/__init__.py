"""The case file: the store and everything read out of it — reviews, exports, letters, deadlines, plans.

``store`` (one SQLite file), ``review`` (a call summed up), ``export`` (text, Markdown, JSON,
HTML), ``letters``, ``deadlines``, ``plan`` (the call plan), ``casecard`` (the numbers in view
during a call), ``sides`` (provider and insurer in one case), ``safewrite`` (files the user names).
"""
