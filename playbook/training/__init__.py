"""Training: scenarios run as exercises, scored, explained and reported.

Owns: the scoring rubric (`rubric`), running a scenario's injects against the playbook's own
decisions and explaining the differences (`session`), recorded answers and their template
(`answers`), results files and saved progress (`results`), and the trainer's report on one
trainee or a group as plain data (`report`). It prints nothing: `render` presents it.
May import `render`, `drafting`, `rulebase`, `core`, `playbook.errors` and `playbook.userenv`;
never `cli` or `record`.
"""
