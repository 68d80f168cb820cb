"""One error hierarchy for every user-facing failure, and its exit codes (README, "Commands").

The CLI turns a `PlaybookError` into its message on stderr and its exit code; anything
else escaping is a bug in playbook, never a user mistake.
"""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_RULEBASE = 3
EXIT_INTERRUPTED = 130


class PlaybookError(Exception):
    """A problem the user can fix; `messages` are complete one-line sentences."""

    exit_code = EXIT_USAGE

    def __init__(self, messages: str | Sequence[str]) -> None:
        self.messages: tuple[str, ...] = (
            (messages,) if isinstance(messages, str) else tuple(messages)
        )
        super().__init__("\n".join(self.messages))


class UsageError(PlaybookError):
    """Bad flags, bad answers, unreadable input files: exit 2."""


class AnswersError(UsageError):
    """Answers that do not fit the interview (unknown id, bad value, wrong type)."""


class MissingAnswersError(AnswersError):
    """Answers are missing and there is no terminal to ask them on."""

    def __init__(self, messages: Sequence[str], missing: Sequence[str]) -> None:
        super().__init__(messages)
        self.missing = tuple(missing)


class RuleBaseError(PlaybookError):
    """The rule base does not load or does not validate: exit 3."""

    exit_code = EXIT_RULEBASE


class CheckFailed(PlaybookError):
    """A check found an error-level problem: exit 1."""

    exit_code = EXIT_CHECK_FAILED


class Interrupted(PlaybookError):
    """The user pressed Ctrl-C or closed the input: exit 130."""

    exit_code = EXIT_INTERRUPTED


def did_you_mean(word: object, candidates: Sequence[str]) -> str:
    """` (did you mean 'x'?)` when a close candidate exists, else an empty string."""
    import difflib

    close = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
