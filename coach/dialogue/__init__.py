"""The files under ``dialogues/``: safe YAML with lines, the playbook and its checks, rendering.

``yamlload`` (YAML that remembers lines and refuses traps), ``playbook`` (the stages, nodes, facts
and their checks), ``render`` (the sandboxed Jinja2 environment), ``counterparts``, ``guards``,
``sources`` (what counts as a public source), ``appeals`` (appeal windows by plan type),
``usstates``, ``graph`` (the playbook as a diagram).
"""
