"""Rendering: decisions, findings and rule-base reports as JSON, YAML, Markdown and text.

Owns: the output document of a decision (`document`, the stable JSON schema), the words and
labels every format shares (`common`), each format (`markdown`, `text` drawn by `boxes`), the
rule-base reports (`rules`, `questions`), the incident record's views (`incident`: list, show,
changes) and post-incident review (`review`: Markdown, self-contained HTML), and writing to
stdout, stderr or a file (`output`).
The only place that writes to the terminal and the only importer of rich (`text.answers_table`).
May import `core`, `rulebase`, `drafting` and `playbook.errors`; never `cli` or `record` (it
renders the record's documents, plain data).
"""
