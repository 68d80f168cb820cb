"""Entry point for the `playbook` console script and `python -m playbook`.

`--version` is answered here, before the CLI framework is imported, so that the
most common health check costs no more than starting Python.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from playbook import __version__

        sys.stdout.write(f"playbook {__version__}\n")
        return
    from playbook.cli import run

    run(args)


if __name__ == "__main__":
    main()
