"""The incident record: an append-only log of events per incident, shared by a team.

Owns: the events and the state folded from them (`model`), incident and event ids (`ids`), the
stores and their schema and migrations (`store`; SQLite and PostgreSQL in `backends`), the
team's actions as events (`service`), what changed between decisions (`changes`) and the
documents of the list, one incident and the post-incident review (`review`).
May import `render`, `drafting`, `rulebase`, `core`, `playbook.errors` and `playbook.userenv`;
never `cli` or `training`. psycopg is imported only for a postgresql:// store.
"""
