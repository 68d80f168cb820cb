"""What playbook reads from the user's environment: the language it speaks by default.

Shared by every layer (like `errors`); it imports nothing of playbook.
"""

from __future__ import annotations

import os


def default_lang() -> str:
    """`PLAYBOOK_LANG`, else the locale (`fr_*` gives French), else English."""
    for var in ("PLAYBOOK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"
