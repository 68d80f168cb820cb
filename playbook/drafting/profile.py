"""The organisation profile: who signs the drafts, where people reach us, in which language.

A YAML file (`--profile FILE`, else `$PLAYBOOK_PROFILE`, else the built-in example in
`rules/profiles/example.yaml`):

    name: Harbourline Air                 # the organisation
    spokesperson: {name: ..., role: {en: ..., fr: ...}, email: ..., phone: ...}
    signature: {reply: "– Maud", statement: {en: ..., fr: ...}}   # optional
    language: fr                          # optional: the default language of the drafts
    default_channel: twitter              # optional: where public replies go
    channels: {web: https://..., twitter: "@..."}   # `web`: where updates and facts are published
    contacts: {comms_lead: {name: ..., phone: ...}, customer_service: {...}}

Channel ids and contact roles are checked against the rule base (`channel_limits` and the
`escalate_to` values). Mistakes are usage errors (exit 2) naming file, line, key and the
allowed values. A validated profile is cached like the rule base, so the built-in default
costs no YAML parsing on later runs.
"""

from __future__ import annotations

import os

from playbook.core.model import RuleBase, Text
from playbook.core.record import field, record, replace
from playbook.errors import UsageError, did_you_mean
from playbook.rulebase import cache
from playbook.rulebase.cache import sha256
from playbook.rulebase.source import display_path, read_text
from playbook.version import __version__

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from playbook.rulebase.validate import Item, Problems

PERSON_KEYS = ("name", "role", "email", "phone")
CACHE_FORMAT = 2  # bump when Profile's fields change: an older pickle is then never read


@record
class Contact:
    name: str
    role: Text | None = None
    email: str | None = None
    phone: str | None = None

    def reach(self) -> str:
        """How to reach them, as one line: `press@example.org, +44 20 7946 0958`."""
        return ", ".join(x for x in (self.email, self.phone) if x)


@record
class Profile:
    name: str
    spokesperson: Contact
    reply_signature: Text
    statement_signature: Text
    channels: dict[str, str]
    contacts: dict[str, Contact] = field(default_factory=dict)
    language: str | None = None
    default_channel: str | None = None
    source: str = ""      # where it was read, as shown in messages
    path: str = ""        # the absolute path of the file ('' for stdin)
    builtin: bool = False  # the built-in example (an invented airline), not the user's own


def builtin_profile_path() -> str:
    from playbook.rulebase.load import builtin_rules_dir

    return os.path.join(builtin_rules_dir(), "profiles", "example.yaml")


def starter_profile_path() -> str:
    from playbook.rulebase.load import builtin_rules_dir

    return os.path.join(builtin_rules_dir(), "profiles", "starter.yaml")


def placeholders(text: str) -> list[tuple[int, str]]:
    """The `<...>` values of the starter profile still in a profile's text: (line, value)."""
    import re

    found = []
    for n, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        found += [(n, m) for m in re.findall(r"<[^<>\n]*>", code)]
    return found


def chosen_file(path: str | None = None) -> str:
    """`path`, else `$PLAYBOOK_PROFILE`, else the user's own (`profile init`), else the example."""
    from playbook.userenv import user_profile_path

    chosen = path or os.environ.get("PLAYBOOK_PROFILE") or None
    if chosen:
        return chosen
    own = user_profile_path()
    return own if os.path.isfile(own) else builtin_profile_path()


def load(rb: RuleBase, path: str | None = None, *, use_cache: bool = True) -> Profile:
    """The profile `chosen_file` names, validated against `rb`."""
    chosen = chosen_file(path)
    file = chosen if chosen != "-" else None
    label = "<stdin>" if file is None else display_path(file)
    text = read_text("-" if file is None else file)
    key = _cache_key(rb, os.path.realpath(file) if file else label, text)
    cached_at = cache.cache_file(f"profile-{key}.pickle") if use_cache and chosen != "-" else None
    cached = cache.load_pickle(cached_at)
    if isinstance(cached, Profile):
        return cached
    profile = parse(rb, text, label)
    if file is not None:
        absolute = os.path.realpath(file)
        profile = replace(profile, path=absolute, builtin=absolute == os.path.realpath(builtin_profile_path()))
    cache.save_pickle(cached_at, profile)
    return profile


def parse(rb: RuleBase, text: str, label: str) -> Profile:
    """Validate a profile's text; every mistake is reported at once (exit 2)."""
    from playbook.rulebase.source import load_yaml
    from playbook.rulebase.validate import Item, Problems, check_keys, string_of  # only when the cache misses

    data, located = load_yaml(text, label)
    problems = Problems()
    top = Item(data, located, ())
    what = "profile"
    if not check_keys(top, what, problems, ("name", "spokesperson", "channels"),
                      ("signature", "language", "default_channel", "contacts")):
        raise UsageError(problems.messages or [f"{label}: expected a profile mapping"])
    name = string_of(top, "name", what, problems)
    speaker = _person(Item(top.data.get("spokesperson"), located, ("spokesperson",)), "spokesperson",
                      problems, role_required=True)
    channels = _channels(top, rb, problems)
    contacts = _contacts(top, rb, problems)
    language = _choice(top, "language", ("en", "fr"), problems)
    default_channel = _choice(top, "default_channel", list(channels), problems)
    signatures = _signatures(top, problems)
    if problems.messages or name is None or speaker is None:
        raise UsageError(problems.messages or [f"{label}: incomplete profile"])
    role = speaker.role or Text("", "")
    reply = signatures.get("reply") or Text(f"– {speaker.name.split()[0]}", f"– {speaker.name.split()[0]}")
    statement = signatures.get("statement") or Text(f"{speaker.name}\n{role.en}, {name}",
                                                    f"{speaker.name}\n{role.fr}, {name}")
    return Profile(name, speaker, reply, statement, channels, contacts, language, default_channel, label)


def _text(item: Item, key: str, what: str, problems: Problems) -> Text | None:
    """A text in both languages, or one string for both (a name, a handle)."""
    from playbook.rulebase.validate import text_of

    value = item.data.get(key)
    if isinstance(value, str):
        return Text(value.strip(), value.strip()) if value.strip() else None
    return text_of(item, key, what, problems)


def _person(item: Item, what: str, problems: Problems, *, role_required: bool = False) -> Contact | None:
    from playbook.rulebase.validate import check_keys, string_of

    required = ("name", "role") if role_required else ("name",)
    if not check_keys(item, what, problems, required, [k for k in PERSON_KEYS if k not in required]):
        return None
    if isinstance(item.data.get("phone"), int | float):
        problems.add(item.at("phone"), what, "'phone': quote the number so YAML keeps it as text")
        item.data.pop("phone")
    name = string_of(item, "name", what, problems)
    role = _text(item, "role", what, problems)
    email, phone = string_of(item, "email", what, problems), string_of(item, "phone", what, problems)
    return Contact(name, role, email, phone) if name else None


def _channels(top: Item, rb: RuleBase, problems: Problems) -> dict[str, str]:
    from playbook.rulebase.validate import Item

    known = list(rb.drafting.channels) if rb.drafting else []
    raw = top.data.get("channels")
    item = Item(raw, top.located, ("channels",))
    if not isinstance(raw, dict):
        problems.add(item.at(), "profile", "'channels' maps channel ids to a handle or address, "
                     "with at least 'web' (where updates and facts are published)")
        return {}
    out: dict[str, str] = {}
    for cid, value in raw.items():
        if cid not in known:
            problems.add(item.key_at(cid), "profile", f"unknown channel '{cid}'{did_you_mean(cid, known)}; "
                         f"allowed: {', '.join(known)}")
        elif not isinstance(value, str) or not value.strip():
            problems.add(item.at(cid), "profile", f"'channels.{cid}' must be a handle or an address")
        else:
            out[str(cid)] = value.strip()
    if "web" not in raw:
        problems.add(item.at(), "profile", "'channels' needs 'web': the page where updates and facts are published")
    return out


def _contacts(top: Item, rb: RuleBase, problems: Problems) -> dict[str, Contact]:
    from playbook.rulebase.validate import Item

    roles = list(rb.outputs["escalate_to"].values) if "escalate_to" in rb.outputs else []
    raw = top.data.get("contacts", {})
    if not isinstance(raw, dict):
        problems.add(top.at("contacts"), "profile", f"'contacts' maps roles ({', '.join(roles)}) to people")
        return {}
    out: dict[str, Contact] = {}
    for role in raw:
        if role not in roles:
            problems.add(top.key_at("contacts", role), "profile",
                         f"unknown contact role '{role}'{did_you_mean(role, roles)}; allowed: {', '.join(roles)}")
            continue
        person = _person(Item(raw[role], top.located, ("contacts", role)), f"contact '{role}'", problems)
        if person is not None:
            out[str(role)] = person
    return out


def _choice(top: Item, key: str, allowed: list[str] | tuple[str, ...], problems: Problems) -> str | None:
    value = top.data.get(key)
    if value is None:
        return None
    if value not in allowed:
        problems.add(top.at(key), "profile",
                     f"'{key}': unknown value '{value}'{did_you_mean(value, allowed)}; allowed: {', '.join(allowed)}")
        return None
    return str(value)


def _signatures(top: Item, problems: Problems) -> dict[str, Text]:
    from playbook.rulebase.validate import Item, check_keys

    if "signature" not in top.data:
        return {}
    item = Item(top.data["signature"], top.located, ("signature",))
    if not check_keys(item, "signature", problems, (), ("reply", "statement")):
        return {}
    out = {}
    for key in ("reply", "statement"):
        text = _text(item, key, "signature", problems)
        if text is not None:
            out[key] = text
    return out


def _cache_key(rb: RuleBase, label: str, text: str) -> str:
    """The profile's text and place, and the rule-base values it was checked against."""
    known = sorted(rb.drafting.channels) if rb.drafting else []
    roles = list(rb.outputs["escalate_to"].values) if "escalate_to" in rb.outputs else []
    blob = "\0".join([__version__, str(CACHE_FORMAT), label, text, *known, "|", *roles])
    return sha256(blob.encode()).hexdigest()[:32]
