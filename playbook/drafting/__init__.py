"""Drafting: the messages a decision calls for, and the checks that lint any draft.

Owns: the organisation profile that fills and signs drafts (`profile`), composing drafts from
the rule base's templates for a decision (`compose`), and linting a text against the
antipatterns (`checks`). Produces plain data (draft dicts, findings); prints nothing.
May import `core`, `rulebase` and `playbook.errors`; never `render` or `cli`.
"""
