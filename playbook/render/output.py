"""Render documents for people and scripts: JSON, YAML, Markdown and the terminal.

This is the only module that writes to stdout/stderr. rich and PyYAML are imported only
by the formats that need them, so `--format json` stays fast. User text (summaries,
drafts) is never interpreted as markup: `[bold]` or `{{ }}` come out literally.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping

from playbook.core.model import RuleBase
from playbook.errors import UsageError
from playbook.render.common import UI, visible
from playbook.render.files import OutputClosed, StdoutFailed, write_file, write_stdout

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "markdown", "json", "yaml")
# `-o out.json` without --format writes JSON: the extension says what the file is.
EXTENSIONS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown", ".markdown": "markdown",
              ".txt": "text"}


def to_json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_yaml(doc: Any) -> str:
    import yaml

    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100))


def write(text: str, output: str | None = None) -> None:
    """Data goes to stdout, or to a file written whole (never a half-written file)."""
    if output is None or output == "-":
        write_stdout(text)
    else:
        write_file(output, text)


def format_for(output: str | None, fmt: str | None, allowed: tuple[str, ...] = FORMATS) -> str:
    """`--format`, else the format the output file's extension names, else text."""
    if fmt is not None:
        if fmt not in allowed:
            raise UsageError(f"--format {fmt}: unknown format; allowed: {', '.join(allowed)}")
        return fmt
    suffix = os.path.splitext(output or "")[1].lower()
    inferred = EXTENSIONS.get(suffix, "text")
    return inferred if inferred in allowed else "text"


def error(message: str) -> None:
    """A message on stderr; what it quotes (a file name, an id) cannot drive the terminal."""
    message = visible(message)
    _stderr(message if message.endswith("\n") else message + "\n")


def info(message: str) -> None:
    _stderr(message + "\n")


def _stderr(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except OSError:  # nowhere left to say it
        pass


def decision(rb: RuleBase, doc: Mapping[str, Any], fmt: str, output: str | None = None) -> None:
    """Write a triage document in one of FORMATS."""
    if fmt == "json":
        write(to_json(doc), output)
    elif fmt == "yaml":
        write(to_yaml(doc), output)
    elif fmt == "markdown":
        from playbook.render.markdown import decision_markdown

        write(decision_markdown(rb, doc), output)
    else:
        from playbook.render.text import decision_text

        if output is None or output == "-":
            try:
                decision_text(rb, doc)
                sys.stdout.flush()
            except BrokenPipeError:
                raise OutputClosed from None
            except OSError as exc:
                raise StdoutFailed(exc) from None
        else:
            write(decision_text(rb, doc, to_string=True) or "", output)


def findings(report: Mapping[str, Any], fmt: str) -> None:
    """`playbook check`: `file:line:col: level: check: message` lines, or the report as JSON."""
    if fmt == "json":
        write(to_json(report))
        return
    ui = UI[report["lang"]]
    lines = []
    for f in report["findings"]:
        match = f" “{visible(f['match'])}” —" if f["match"] else ""
        lines.append(f"{report['file']}:{f['line']}:{f['col']}: {f['level']}: {f['check']}:{match} {f['message']}")
        lines.append(f"    → {f['suggestion']}")
    counts = report["counts"]
    total = ", ".join(f"{n} {ui[level + ('s' if n > 1 else '')]}" for level, n in counts.items() if n)
    total = total or ui["no_findings"]
    lines.append(f"{report['file']}: {total}")
    write("\n".join(lines) + "\n")


