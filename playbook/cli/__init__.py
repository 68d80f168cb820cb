"""The command line: the typer app, its commands, the interview and resuming it.

Owns: parsing flags and files given on the command line, asking questions on a terminal
(questionary, loaded only when a prompt is shown), saving an interrupted interview, batch
runs. Each command makes one call into the layers below and hands the result to `render`.
May import every other layer; nothing imports it. The only place that imports typer,
questionary and prompt_toolkit.
"""
