"""The commands' options, defined once, without typer: the typer app builds its parameters from
these (`cli.options`), and so does the fast path that runs a scripted `playbook triage`
without importing typer at all (`cli.fast`). An option is written here and nowhere else.

    ANSWERS = Opt("answers", "--answers", "-a", metavar="FILE", help="Answers file…")

Kinds: a value (`str`, `int`, `path`), `multiple` values (a list), a `flag` (`--save`), a
flag pair (`--drafts/--no-drafts`, given as one declaration), or an `argument` (positional).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs the fast path ~3 ms
if TYPE_CHECKING:
    from collections.abc import Callable


class Opt:
    """One option (or argument) of a command: its parameter name, its flags, how it reads."""

    __slots__ = (
        "argument",
        "complete",
        "default",
        "flag",
        "flags",
        "help",
        "kind",
        "metavar",
        "minimum",
        "multiple",
        "name",
        "show_default",
    )

    def __init__(self, name: str, *flags: str, kind: str = "str", metavar: str | None = None, help: str = "",
                 default: object = None, multiple: bool = False, flag: bool = False, argument: bool = False,
                 complete: Callable[[str], list[str]] | None = None, minimum: int | None = None,
                 show_default: bool = False) -> None:
        self.name, self.flags, self.kind, self.metavar, self.help = name, flags, kind, metavar, help
        self.default, self.multiple, self.flag, self.argument = default, multiple, flag, argument
        self.complete, self.minimum, self.show_default = complete, minimum, show_default

    def names(self) -> dict[str, object]:
        """Each flag as typed on a command line -> the value it gives (None: the value follows)."""
        out: dict[str, object] = {}
        for declared in self.flags:
            if "/" in declared:  # --drafts/--no-drafts
                on, off = declared.split("/")
                out[on], out[off] = True, False
            else:
                out[declared] = True if self.flag else None
        return out


class Command:
    """A command's options and where its body lives (imported only when it runs)."""

    __slots__ = ("function", "module", "name", "options")

    def __init__(self, name: str, module: str, function: str, options: tuple[Opt, ...]) -> None:
        self.name, self.module, self.function, self.options = name, module, function, options


def completer(values: Callable[[], list[str]]) -> Callable[[str], list[str]]:
    """A shell-completion callback; completion never fails loudly, it offers nothing."""

    def complete(incomplete: str) -> list[str]:
        try:
            return [v for v in values() if v.startswith(incomplete)]
        except Exception:
            return []

    return complete


def _channels() -> list[str]:
    from playbook.rulebase.load import load

    drafting = load().drafting
    return sorted({name for c in drafting.channels.values() for name in (c.id, *c.aliases)}) if drafting else []


def _rule_subjects() -> list[str]:
    from playbook.rulebase.load import load

    rb = load()
    return [r.id for r in rb.rules] + list(rb.principles) + list(rb.outputs)


LANGS = ("en", "fr")
FORMATS = ("text", "markdown", "json", "yaml")  # of a decision (`playbook.render.output.FORMATS`)
complete_lang = completer(lambda: list(LANGS))
complete_channel = completer(_channels)
complete_rule_subject = completer(_rule_subjects)


def format_opt(allowed: tuple[str, ...], note: str = "") -> Opt:
    """`--format FORMAT` / `-f`, its help listing `allowed`, completing them."""
    return Opt("fmt", "--format", "-f", metavar="FORMAT", complete=completer(lambda: list(allowed)),
               help=f"Output format: {', '.join(allowed)}{note}.")


RULES = Opt("rules", "--rules", kind="path", multiple=True, metavar="DIR",
            help="Overlay the built-in rule base with this directory (repeatable; default: $PLAYBOOK_RULES).")
LANG = Opt("lang", "--lang", metavar="LANG", complete=complete_lang,
           help="Language of questions, decision and drafts: en or fr "
           "(default: $PLAYBOOK_LANG, then the profile's, then the locale).")
CHANNEL = Opt("channel", "--channel", metavar="CHANNEL", complete=complete_channel,
              help="Where the public reply goes, with its character limit: twitter (alias x, 280), "
              "bluesky (300), threads (500), mastodon (500), tiktok (150), linkedin (1250), "
              "instagram (2200), facebook (8000), youtube (10000), email, web, direct_message "
              "(default: the profile's, else twitter).")
PROFILE = Opt("profile", "--profile", metavar="FILE",
              help="Organisation profile (YAML) that fills and signs the drafts (default: $PLAYBOOK_PROFILE, "
              "then the one `playbook profile init` wrote, then the built-in example).")

TRIAGE = Command("triage", "playbook.cli.triage", "triage", (
    Opt("answers", "--answers", "-a", metavar="FILE", help="Answers file, YAML or JSON ('-' reads stdin)."),
    Opt("set_", "--set", "-s", multiple=True, metavar="ID=VALUE",
        help="One answer (repeatable; overrides --answers)."),
    format_opt(FORMATS, "; default: the -o file's extension (.json, .yaml, .md, .txt), else text"),
    LANG,
    Opt("output", "--output", "-o", metavar="FILE",
        help="Write the decision to this file instead of stdout (replaced whole, or not at all)."),
    RULES,
    Opt("ask", "--ask", multiple=True, metavar="ID",
        help="Ask this question even if answered (repeatable; needs a terminal)."),
    Opt("resume", "--resume", flag=True, default=False, show_default=True,
        help="Continue the interview interrupted last (Ctrl-C), then decide."),
    CHANNEL,
    PROFILE,
    Opt("save", "--save", flag=True, default=False, show_default=True,
        help="Open an incident in the record with this decision (its id goes to stderr, and to "
        "JSON as `incident`)."),
    Opt("as_", "--as", metavar="NAME",
        help="With --save: who opens it (default: your user name on a terminal, 'script' otherwise)."),
))

BATCH = Command("batch", "playbook.cli.triage", "batch", (
    Opt("file", argument=True, metavar="FILE", default=..., help="JSON Lines file of answers ('-' reads stdin)."),
    LANG,
    RULES,
    Opt("drafts", "--drafts/--no-drafts", flag=True, default=True, show_default=True,
        help="Write each decision's drafts."),
    CHANNEL,
    PROFILE,
    Opt("jobs", "--jobs", "-j", kind="int", minimum=1, metavar="N",
        help="Worker processes (default: the cores available); the output keeps the input's order."),
))

QUESTIONS = Command("questions", "playbook.cli.triage", "questions", (
    format_opt(("text", "json"), "; default: text"),
    LANG,
    RULES,
))

FAST = {c.name: c for c in (TRIAGE, BATCH)}  # what `cli.fast` runs without typer
