"""The ``coach`` command: the front door (``main``) and one module per subcommand.

Kept empty on purpose: ``main`` imports a subcommand's module only when that subcommand runs.
"""
