"""Measure every performance budget in one run, on this machine, and print the ratios.

    python bench/bench.py            # all budgets (~3 minutes)
    python bench/bench.py --runs 30  # more process runs per command (medians are reported)
    python bench/bench.py --quick    # fewer runs and smaller inputs (a rough look)

The budgets:
  1. `playbook triage --answers F --format json` (with drafts; JSON or YAML answers)
     <= 1.0 x a bare one-command typer app (bench/bare_typer.py); `--format text` <= 1.3 x;
     first interview question on screen <= 250 ms, with or without options (bench/first_prompt.py).
  2. `playbook --version` <= 1.0 x the bare typer app; the cached rule base loads in <= 5 ms.
  3. `playbook batch` >= 20,000 incidents/s without drafts and >= 4,000/s with drafts on one
     core (`--jobs 1`), and `--jobs 2` >= 1.8 x `--jobs 1` on two cores, output order kept.
  4. peak memory of `playbook batch`: 1,000,000 lines in the same memory as 10,000 (<= 1.1 x).

Commands run as a user runs them: the installed `playbook` script beside this Python (else
`python -m playbook`), with compiled bytecode (as pip installs it) and a warm rule-base
cache. Process timings alternate between the commands compared, so machine noise hits them
alike; the medians are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

INCIDENT = {
    "summary": "A customer's video of a broken guitar is spreading.",
    "origin": "customer_complaint", "author": "unhappy_customer", "reach": "growing",
    "influential_author": True, "media_interest": False, "at_fault": "yes", "harm": "financial",
    "facts_known": "yes", "expectation": "apology", "public_aware": True,
    "sensitive_context": False, "prior_statement": False, "crisis_history": False,
    "hours_since_surfaced": 3,
}
RESULTS: list[tuple[str, bool]] = []


def verdict(name: str, met: bool, detail: str) -> None:
    RESULTS.append((name, met))
    print(f"  {'met ' if met else 'MISSED'}  {name}: {detail}")


def environment(home: str) -> dict[str, str]:
    env = {**os.environ, "PLAYBOOK_HOME": home, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode compiled
    for key in ("PLAYBOOK_LANG", "PLAYBOOK_RULES", "PLAYBOOK_PROFILE", "PLAYBOOK_CACHE"):
        env.pop(key, None)
    return env


def playbook_command() -> list[str]:
    script = Path(sys.executable).parent / "playbook"
    return [str(script)] if script.exists() else [sys.executable, "-m", "playbook"]


def time_process(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env, check=True)
    return time.perf_counter() - start


def compare(label: str, cmds: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall time of each command, alternating; the first is the yardstick."""
    for cmd in cmds.values():  # warm the OS cache, the bytecode and playbook's rule-base cache
        time_process(cmd, env)
        time_process(cmd, env)
    samples: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            samples[key].append(time_process(cmd, env))
    medians = {k: statistics.median(v) for k, v in samples.items()}
    base = next(iter(medians.values()))
    print(f"\n{label}")
    for key, value in medians.items():
        print(f"  {key:<34} {value * 1000:7.1f} ms   {value / base:5.2f} x")
    return medians


def startup(runs: int, env: dict[str, str], tmp: Path) -> None:
    pb, py = playbook_command(), sys.executable
    json_file, yaml_file = tmp / "incident.json", tmp / "incident.yaml"
    json_file.write_text(json.dumps(INCIDENT))
    yaml_file.write_text("\n".join(f"{k}: {json.dumps(v)}" for k, v in INCIDENT.items()) + "\n")
    m = compare("start-up, against a bare typer app (median wall time)", {
        "bare typer app": [py, str(HERE / "bare_typer.py")],
        "playbook --version": [*pb, "--version"],
        "triage -a F.json -f json": [*pb, "triage", "-a", str(json_file), "-f", "json"],
        "triage -a F.yaml -f json": [*pb, "triage", "-a", str(yaml_file), "-f", "json"],
        "triage -a F.yaml -f text": [*pb, "triage", "-a", str(yaml_file), "-f", "text"],
    }, runs, env)
    base = m["bare typer app"]
    print("budgets:")
    for key, budget in (("playbook --version", 1.0), ("triage -a F.json -f json", 1.0),
                        ("triage -a F.yaml -f json", 1.0), ("triage -a F.yaml -f text", 1.3)):
        ratio = m[key] / base
        verdict(f"{key} <= {budget} x bare typer", ratio <= budget, f"{ratio:.2f} x")


def first_prompt(runs: int, env: dict[str, str]) -> None:
    from bench.first_prompt import BUDGET, QUESTION, time_to_text

    pb = playbook_command()
    env = {**env, "TERM": env.get("TERM", "xterm-256color"), "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8"}
    cmds = {"playbook triage": [*pb, "triage"], "playbook triage --lang en": [*pb, "triage", "--lang", "en"]}
    for cmd in cmds.values():
        time_to_text(cmd, QUESTION, env)
    samples: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            samples[key].append(time_to_text(cmd, QUESTION, env))
    print("\nfirst interview question on screen (pseudo-terminal, median)")
    for key, values in samples.items():
        median = statistics.median(values)
        print(f"  {key:<34} {median * 1000:7.1f} ms")
        verdict(f"{key}: first question <= {BUDGET * 1000:.0f} ms", median <= BUDGET, f"{median * 1000:.0f} ms")


def rulebase_load(repeat: int) -> None:
    from playbook.rulebase import load as rulebase

    rulebase.load()  # fill the cache
    start = time.perf_counter()
    for _ in range(repeat):
        rulebase.load()
    elapsed = (time.perf_counter() - start) / repeat
    print("\nrule base, cached")
    verdict("cached rule base load <= 5 ms", elapsed <= 0.005, f"{elapsed * 1000:.2f} ms")


def incidents(n: int, seed: int = 7) -> Iterator[bytes]:
    """`n` random complete incidents, one JSON line each (every question, every value)."""
    from playbook.rulebase import load as rulebase

    rb = rulebase.load()
    rng = random.Random(seed)
    numbers = [0, 0.5, 1, 2, 3, 6, 12, 24, 48]
    for _ in range(n):
        out: dict[str, object] = {}
        for q in rb.questions:
            if q.stage != "triage":
                continue
            if q.type == "select":
                out[q.id] = rng.choice(q.values)
            elif q.type == "confirm":
                out[q.id] = rng.random() < 0.5
            elif q.type == "number":
                out[q.id] = rng.choice(numbers)
            else:
                out[q.id] = "Something happened and people are talking about it."
        yield (json.dumps(out) + "\n").encode()


def batch_rate(path: Path, n: int, args: list[str], env: dict[str, str]) -> float:
    cmd = [*playbook_command(), "batch", str(path), *args]
    elapsed = time_process(cmd, env)
    return n / elapsed


def batch(env: dict[str, str], tmp: Path, quick: bool) -> None:
    n_plain, n_drafts = (40_000, 8_000) if quick else (200_000, 40_000)
    plain, drafted = tmp / "plain.jsonl", tmp / "drafted.jsonl"
    with open(plain, "wb") as fh:
        fh.writelines(incidents(n_plain))
    with open(drafted, "wb") as fh:
        fh.writelines(incidents(n_drafts, seed=11))
    time_process([*playbook_command(), "batch", str(drafted), "--jobs", "1"], env)  # warm caches
    print(f"\nbatch (whole process, start-up included; {n_plain:,} lines without drafts, {n_drafts:,} with)")
    one = batch_rate(plain, n_plain, ["--no-drafts", "--jobs", "1"], env)
    verdict("batch without drafts, one core >= 20,000/s", one >= 20_000, f"{one:,.0f} incidents/s")
    drafts = batch_rate(drafted, n_drafts, ["--jobs", "1"], env)
    verdict("batch with drafts, one core >= 4,000/s", drafts >= 4_000, f"{drafts:,.0f} incidents/s")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cores < 2:
        print("  (one core available: --jobs 2 not measured)")
        return
    one_d = batch_rate(drafted, n_drafts, ["--jobs", "1"], env)
    two_d = batch_rate(drafted, n_drafts, ["--jobs", "2"], env)
    verdict("batch --jobs 2 >= 1.8 x --jobs 1 (with drafts)", two_d / one_d >= 1.8,
            f"{two_d:,.0f} vs {one_d:,.0f} incidents/s: {two_d / one_d:.2f} x")
    check_order(drafted, env)


def check_order(path: Path, env: dict[str, str]) -> None:
    done = subprocess.run([*playbook_command(), "batch", str(path), "--jobs", "2", "--no-drafts"],
                          capture_output=True, env=env, check=True)
    lines = [json.loads(line)["line"] for line in done.stdout.splitlines()]
    verdict("batch --jobs 2 keeps the input order", lines == list(range(1, len(lines) + 1)),
            f"{len(lines):,} lines in order")


def peak_rss(n: int, env: dict[str, str]) -> float:
    """Peak resident memory (MiB) of `playbook batch - --no-drafts --jobs 1` fed `n` lines."""
    cmd = [*playbook_command(), "batch", "-", "--no-drafts", "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None
    block = b"".join(incidents(1000, seed=3))
    for _ in range(n // 1000):
        proc.stdin.write(block)
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024  # KiB on Linux


def memory(env: dict[str, str], quick: bool) -> None:
    big = 100_000 if quick else 1_000_000
    small_rss, big_rss = peak_rss(10_000, env), peak_rss(big, env)
    print("\nbatch peak memory (RSS), streamed from stdin, without drafts")
    verdict(f"{big:,} lines in the memory of 10,000 (<= 1.1 x)", big_rss <= 1.1 * small_rss,
            f"{small_rss:.1f} MiB for 10,000, {big_rss:.1f} MiB for {big:,}: {big_rss / small_rss:.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="process runs per command")
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller inputs")
    args = parser.parse_args()
    runs = 5 if args.quick else args.runs
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "playbook")], check=True)
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; {runs} runs per command; "
          f"playbook run as: {' '.join(playbook_command())}")
    with tempfile.TemporaryDirectory() as home:  # a fresh cache, warmed by the first runs; no user file touched
        os.environ["PLAYBOOK_HOME"] = home
        env = environment(home)
        tmp = Path(home)
        startup(runs, env, tmp)
        first_prompt(runs, env)
        rulebase_load(200)
        batch(env, tmp, args.quick)
        memory(env, args.quick)
    missed = [name for name, met in RESULTS if not met]
    print(f"\n{len(RESULTS) - len(missed)} of {len(RESULTS)} budgets met" + (f"; missed: {'; '.join(missed)}"
                                                                            if missed else ""))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
