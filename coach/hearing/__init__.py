"""Hearing the other side: numbers as people say them, what a line means, and the reply.

``spoken`` (spoken numbers to digits), ``typos`` (mistyped key words), ``reading`` (a line
normalized, its numbers found and tagged), ``patterns`` (reading and checking
``dialogues/hear/intents*.yaml``), ``needs`` (the literal text every match of a pattern
holds, so most regexes are skipped), ``files`` (the shipped ``hear/`` files, found once),
``examples`` (the nearest labelled line), ``intents`` (what a heard line means, and the reply), ``weighing`` (a heard offer set against the user's own numbers).
Imports neither the session, the calls nor the case file.
"""
