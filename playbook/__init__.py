"""playbook: a command-line crisis playbook assistant for online reputation incidents.

`import playbook` stays as light as `--version`: the API loads on first use.

    pb = playbook.Playbook(lang="en")       # see playbook.api
    doc = pb.triage(answers)
"""

from __future__ import annotations

from playbook.version import __version__

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs `--version` 10 ms
if TYPE_CHECKING:
    from playbook.api import Playbook, triage
    from playbook.errors import AnswersError, PlaybookError, RuleBaseError, UsageError

__all__ = ["AnswersError", "Playbook", "PlaybookError", "RuleBaseError", "UsageError", "__version__", "triage"]


def __getattr__(name: str) -> object:
    if name in ("Playbook", "triage"):
        from playbook import api

        return getattr(api, name)
    if name in ("AnswersError", "PlaybookError", "RuleBaseError", "UsageError"):
        from playbook import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'playbook' has no attribute {name!r}")
