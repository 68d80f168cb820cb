"""Time from launch to the first interview question on screen (budget: 250 ms).

    python bench/first_prompt.py            # 15 runs of each command, medians reported
    python bench/first_prompt.py --runs 30

Each command runs in a real pseudo-terminal (pexpect); the clock stops when the first
question's text has been written to the terminal. For comparison: `python -c pass` (the
interpreter alone), the bare typer app of bench/bare_typer.py (until its output), and a bare
script that only imports questionary and asks one question (the floor for any questionary
interview). Runs alternate between commands so machine noise hits them alike; the rule-base
cache is warmed first, as it is after a user's first run.

    python bench/first_prompt.py --imports  # also: what is imported before the first prompt
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUDGET = 0.250
QUESTION = "In one sentence: what happened?"
BARE = f"import questionary; questionary.text({QUESTION!r}).ask()"


def time_to_text(cmd: list[str], text: str | None, env: dict[str, str]) -> float:
    """Seconds from spawn to `text` on the terminal (to exit when `text` is None)."""
    start = time.perf_counter()
    child = pexpect.spawn(cmd[0], cmd[1:], env=env, cwd=str(ROOT), timeout=30, encoding="utf-8",
                          dimensions=(40, 120))
    if text is None:
        child.expect(pexpect.EOF)
    else:
        child.expect_exact(text)
    elapsed = time.perf_counter() - start
    child.terminate(force=True)
    child.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="runs per command")
    parser.add_argument("--imports", action="store_true", help="list the slowest imports before the first prompt")
    args = parser.parse_args()
    py = sys.executable
    commands: dict[str, tuple[list[str], str | None]] = {
        "python -c pass": ([py, "-c", "pass"], None),
        "bare typer app": ([py, str(HERE / "bare_typer.py")], "hello world"),
        "bare questionary.text().ask()": ([py, "-c", BARE], QUESTION),
        "playbook triage (interview)": ([py, "-m", "playbook", "triage"], QUESTION),
        # Any option makes typer parse the command line before the interview starts.
        "playbook triage --lang en": ([py, "-m", "playbook", "triage", "--lang", "en"], QUESTION),
    }
    with tempfile.TemporaryDirectory() as home:  # no saved interview of the user's is touched
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": os.environ.get("TERM", "xterm-256color"),
               "PLAYBOOK_HOME": home, "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8"}
        env.pop("PLAYBOOK_LANG", None)
        for cmd, text in commands.values():  # warm the OS cache and playbook's rule-base cache
            time_to_text(cmd, text, env)
        samples: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for key, (cmd, text) in commands.items():
                samples[key].append(time_to_text(cmd, text, env))
        report(samples, args.runs)
        if args.imports:
            imports_before_prompt([py, "-X", "importtime", "-m", "playbook", "triage"], env)


def report(samples: dict[str, list[float]], runs: int) -> None:
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; {runs} runs per command; "
          "median (min-max), launch to first question on screen")
    medians = {k: statistics.median(v) for k, v in samples.items()}
    bare = medians["bare questionary.text().ask()"]
    for key, values in samples.items():
        print(f"  {key:<32} {medians[key] * 1000:6.1f} ms  ({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"
              f"  {medians[key] / bare:4.2f} x bare questionary")
    ours = medians["playbook triage (interview)"]
    verdict = "within" if ours <= BUDGET else "OVER"
    print(f"\nfirst prompt: {ours * 1000:.0f} ms, {verdict} the {BUDGET * 1000:.0f} ms budget")


def imports_before_prompt(cmd: list[str], env: dict[str, str], top: int = 12) -> None:
    """`python -X importtime` up to the first prompt: the top-level imports, slowest first."""
    child = pexpect.spawn(cmd[0], cmd[1:], env=env, cwd=str(ROOT), timeout=30, encoding="utf-8",
                          dimensions=(40, 200))
    child.expect_exact(QUESTION)
    child.terminate(force=True)
    child.close()
    found = []
    for line in child.before.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S+)$", line)  # one space: imported at top level
        if m:
            found.append((int(m.group(1)), m.group(2)))
    print(f"\nimports before the first prompt (cumulative, -X importtime inflates them; total "
          f"{sum(us for us, _ in found) / 1000:.0f} ms):")
    for us, name in sorted(found, reverse=True)[:top]:
        print(f"  {us / 1000:6.1f} ms  {name}")


if __name__ == "__main__":
    main()
