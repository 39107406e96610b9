"""Hearing the other side: numbers as people say them, what a line means, and the reply.

``numbers`` (spoken numbers to digits), ``typos`` (mistyped key words), ``examples`` (the nearest
labelled line), ``intents`` (patterns, meanings and replies), ``weighing`` (a heard offer set
against the user's own numbers). Imports neither the session, the calls nor the case file.
"""
