"""The decision core: the model, conditions, answers and the engine. Pure: no I/O, no printing.

Owns: the typed records of the rule base and of a decision (`model`, `draftmodel`, `text`),
conditions as data and their compilation (`conditions`), validating answers against the
questions (`answers`), and deciding (`engine`: answers + rule base -> Decision with trace).
May import only the standard library, `playbook.errors` and itself.
"""
