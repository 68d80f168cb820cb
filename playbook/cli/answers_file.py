"""Read answers from a YAML or JSON file, or stdin, remembering where each one was written.

JSON, the scripts' format, is parsed without loading the YAML machinery; its positions are
located only if an error needs them (`JsonOrigins`). The flat YAML that answers files are almost
always written in is read without PyYAML too (`rulebase.flatyaml`); any other YAML, and every
YAML error, is PyYAML's (`rulebase.source.load_yaml`).
"""

from __future__ import annotations

from playbook.core.answers import JsonOrigins, RawAnswers, json_answers, kind_of
from playbook.errors import AnswersError
from playbook.rulebase.source import Position, display_path, load_yaml, read_text

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any


def read_answers(path: str) -> RawAnswers:
    """Answers from a YAML or JSON file, or stdin for `-`."""
    label = "<stdin>" if path == "-" else display_path(path)
    text = read_text(path, error=AnswersError)
    return parse_answers(text, label)


def parse_answers(text: str, label: str) -> RawAnswers:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        # JSON is the scripts' format: parse it without loading the YAML machinery.
        data = json_answers(text, label)
        _require_mapping(data, label)
        return RawAnswers(data, JsonOrigins(text, label, data))
    from playbook.rulebase.flatyaml import parse_flat  # YAML only: JSON answers need none of it

    flat = parse_flat(text)
    if flat is not None:  # what PyYAML would return, without loading it
        values, where = flat
        return RawAnswers(values, {k: str(Position(label, *where[k])) for k in values})
    data, located = load_yaml(text, label, error=AnswersError)
    if data is None:
        return RawAnswers({}, {})
    _require_mapping(data, label)
    return RawAnswers(data, {str(k): str(located.at((k,))) for k in data})


def _require_mapping(data: Any, label: str) -> None:
    if not isinstance(data, dict):
        raise AnswersError(
            f"{label}: expected a mapping of answer ids to values "
            f"(e.g. 'reach: viral'), got {kind_of(data)}"
        )
