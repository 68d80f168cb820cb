"""The rule base: YAML files -> a typed, validated, verified RuleBase, cached on disk.

Owns: finding and reading the rule files with positions (`source`, `load`), merging overlays
and validating every section with file:line:col (`build`, `validate`, `draft_sections`,
`check_sections`, `patterns`, `templates`), the draft templates compiled to plain Python
(`tplcompile`) and what that code calls when it renders (`tplruntime`), proving properties
over the whole answer space (`verify`), running the rules' cases (`cases`) and the on-disk
cache (`cache`).
May import `core` and `playbook.errors`; never `drafting`, `render` or `cli`.
"""
