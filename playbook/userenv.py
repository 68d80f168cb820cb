"""What playbook reads from the user's environment: its default language, where its own files are.

Shared by every layer (like `errors`); it imports nothing of playbook.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_lang() -> str:
    """`PLAYBOOK_LANG`, else the locale (`fr_*` gives French), else English."""
    for var in ("PLAYBOOK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def config_dir() -> Path:
    """Where the user's own settings live: `PLAYBOOK_HOME`, else the platform's config directory."""
    home = os.environ.get("PLAYBOOK_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_config_dir("playbook", appauthor=False))


def user_profile_path() -> Path:
    """The organisation profile `playbook profile init` writes and every triage then uses."""
    return config_dir() / "profile.yaml"


def data_dir() -> Path:
    """Where playbook keeps what it writes for the user (a saved interview, incident records):
    `PLAYBOOK_HOME`, else the platform's user data directory."""
    home = os.environ.get("PLAYBOOK_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_data_dir("playbook", appauthor=False))
