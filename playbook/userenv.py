"""What playbook reads from the user's environment: its default language, where its own files are.

Shared by every layer (like `errors`); it imports nothing of playbook.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def default_lang() -> str:
    """`PLAYBOOK_LANG`, else the locale (`fr_*` gives French), else English."""
    for var in ("PLAYBOOK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


# The XDG base directories playbook uses, and their defaults under the home directory.
_XDG = {"config": ("XDG_CONFIG_HOME", ".config"), "data": ("XDG_DATA_HOME", ".local/share"),
        "cache": ("XDG_CACHE_HOME", ".cache")}


def platform_dir(kind: str) -> str:
    """The platform's user directory of this kind (config, data, cache) for playbook.

    On Linux with an absolute home, the XDG rule itself (what platformdirs answers there):
    importing platformdirs costs a start-up ~4 ms (it loads tempfile, random, shutil…).
    Anywhere else, platformdirs.
    """
    var, default = _XDG[kind]
    home = os.environ.get("HOME", "")
    if sys.platform.startswith("linux") and home.startswith("/"):
        base = os.environ.get(var, "")
        return os.path.join(base if base.startswith("/") else os.path.join(home, default), "playbook")
    import platformdirs

    found: str = getattr(platformdirs, f"user_{kind}_dir")("playbook", appauthor=False)
    return found


def config_dir() -> Path:
    """Where the user's own settings live: `PLAYBOOK_HOME`, else the platform's config directory."""
    from pathlib import Path

    return Path(_config_dir())


def _config_dir() -> str:
    return os.environ.get("PLAYBOOK_HOME") or platform_dir("config")


def user_profile_path() -> str:
    """The organisation profile `playbook profile init` writes and every triage then uses (a
    string: a triage does without pathlib)."""
    return os.path.join(_config_dir(), "profile.yaml")


def data_dir() -> Path:
    """Where playbook keeps what it writes for the user (a saved interview, incident records):
    `PLAYBOOK_HOME`, else the platform's user data directory."""
    from pathlib import Path

    return Path(os.environ.get("PLAYBOOK_HOME") or platform_dir("data"))
