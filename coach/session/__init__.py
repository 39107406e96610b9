"""The Session every front end drives through a call, and the events it records.

``engine`` (the Session and its machine), ``events`` (the one record of a call), ``records``
(``/offer``-style commands typed during a call), ``redact`` (numbers never stored).
"""
