"""The files under ``dialogues/``: read with their lines, checked, and rendered.

``yamlload`` (YAML that remembers lines and refuses traps), ``problems`` (the one collector every
reader fills), ``schema`` (the playbook's keys and dataclasses), ``playbook`` (the reader of the
stages, nodes and facts, and its checks), ``facts`` (typed fact values), ``render`` (the sandboxed
Jinja2 environment), ``counterparts``, ``guards``, ``sources`` (what counts as a public source),
``appeals`` (appeal windows by plan type), ``usstates``, ``graph`` (the playbook as a diagram).
"""
