"""Identifiers of the incident record: incident ids people type, event ids that sort by time.

An incident id reads `INC-20261121-7F3K`: the day it was opened (UTC) and four characters of
Crockford's base32 (no I, L, O, U: nothing to misread on a call). Every id that comes from a
user goes through `incident_id` before it reaches the store or a file name, so no path or SQL
text can travel inside one.

An event id is a ULID: 48 bits of milliseconds since the epoch and 80 random bits, 26
characters of Crockford's base32, so ids sort by the time they were made. The order of an
incident's events is its sequence number, kept by the store; the id names one event forever.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import datetime, timezone

from playbook.errors import UsageError

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
INCIDENT_ID = re.compile(r"INC-[0-9]{8}-[0-9A-HJKMNP-TV-Z]{4}")
EVENT_ID = re.compile(r"[0-7][0-9A-HJKMNP-TV-Z]{25}")
DRAFT_ID = re.compile(r"D[1-9][0-9]{0,5}")


def new_incident_id(now: datetime | None = None) -> str:
    """A fresh incident id for `now` (UTC); the store refuses a taken one and the caller retries."""
    day = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%d")
    return f"INC-{day}-{''.join(secrets.choice(CROCKFORD) for _ in range(4))}"


def incident_id(text: str) -> str:
    """A user's incident id, checked and in its canonical form (`inc-20261121-7f3k` is accepted)."""
    candidate = text.strip().upper() if isinstance(text, str) else ""
    if len(candidate) <= 40 and INCIDENT_ID.fullmatch(candidate):
        return candidate
    shown = text if isinstance(text, str) and len(text) <= 60 else f"{str(text)[:60]}…"
    raise UsageError(f"incident id {shown!r}: not an incident id; expected INC-YYYYMMDD-XXXX, "
                     "e.g. INC-20261121-7F3K (`playbook incident list` shows them)")


def new_event_id(now_ms: int | None = None) -> str:
    """A ULID: 10 characters of time (milliseconds), 16 of randomness."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (ms << 80) | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def event_time_ms(event_id: str) -> int:
    """The milliseconds an event id was made at."""
    value = 0
    for ch in event_id[:10]:
        value = value * 32 + CROCKFORD.index(ch)
    return value
