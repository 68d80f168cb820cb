"""playbook: a command-line crisis playbook assistant for online reputation incidents."""

__version__ = "0.1.0"
