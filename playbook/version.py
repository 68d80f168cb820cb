"""The version of playbook, in one place (read by the build and by every layer)."""

__version__ = "0.1.0"
