"""The Session every front end drives through a call, and the events it records.

``engine`` (the Session and its machine), ``events`` (the one record of a call), ``payloads``
(each event kind's typed payload, and the one converter to and from what is stored), ``records``
(``/offer``-style commands typed during a call), ``proposals`` (a heard amount or date offered
for recording with one key), ``redact`` (numbers never stored).
"""
