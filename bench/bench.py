"""Measure the performance budgets in one run, on this machine, and print the ratios.

    python bench/bench.py            # all measurements
    python bench/bench.py --runs 30  # more process runs per command (medians are reported)

Process timings alternate between the commands compared, so machine noise hits them alike.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def time_process(cmd: list[str], stdin: bytes = b"") -> float:
    start = time.perf_counter()
    subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def compare(label: str, cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
    for cmd in cmds.values():  # warm the OS cache and playbook's rule-base cache
        time_process(cmd)
    samples: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            samples[key].append(time_process(cmd))
    medians = {k: statistics.median(v) for k, v in samples.items()}
    base = medians["typer"]
    print(f"\n{label}")
    for key, value in medians.items():
        print(f"  {key:<28} {value * 1000:7.1f} ms   {value / base:5.2f} x bare typer")
    return medians


def random_incident(rng: random.Random, rb: object) -> dict[str, object]:
    from playbook.core.model import RuleBase

    assert isinstance(rb, RuleBase)
    out: dict[str, object] = {}
    for q in rb.questions:
        if q.type == "select":
            out[q.id] = rng.choice(q.values)
        elif q.type == "confirm":
            out[q.id] = rng.random() < 0.5
        elif q.type == "number":
            out[q.id] = rng.choice([0, 0.5, 1, 2, 3, 6, 12, 24, 48])
        else:
            out[q.id] = "Something happened and people are talking about it."
    return out


def bench_batch(n: int, drafts: bool = False, jobs: int = 1) -> float:
    from playbook.api import Playbook
    from playbook.cli.batch import _run
    from playbook.rulebase import load as rulebase

    rb = rulebase.load()
    rng = random.Random(7)
    lines = [(json.dumps(random_incident(rng, rb)) + "\n").encode() for _ in range(n)]
    out = io.StringIO()
    start = time.perf_counter()  # the profile and template compilation count: they are per run
    pb = Playbook(lang="en", drafts=drafts)
    bad = _run(pb, lines, "bench", out, jobs)
    elapsed = time.perf_counter() - start
    assert bad == 0
    return n / elapsed


def bench_load(repeat: int) -> float:
    from playbook.rulebase import load as rulebase

    rulebase.load()  # fill the cache
    start = time.perf_counter()
    for _ in range(repeat):
        rulebase.load()
    return (time.perf_counter() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="process runs per command")
    args = parser.parse_args()
    py = sys.executable
    tmp = Path(tempfile.mkdtemp())
    json_file = tmp / "incident.json"
    json_file.write_text(json.dumps(INCIDENT))
    yaml_file = tmp / "incident.yaml"
    yaml_file.write_text("\n".join(f"{k}: {json.dumps(v)}" for k, v in INCIDENT.items()) + "\n")
    os.chdir(ROOT)
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; {args.runs} runs per command")

    version = compare("playbook --version (budget: <= 1.0 x bare typer)", {
        "typer": [py, str(HERE / "bare_typer.py")],
        "playbook --version": [py, "-m", "playbook", "--version"],
    }, args.runs)
    triage = compare("playbook triage --answers F --format json (budget: <= 1.2 x bare typer)", {
        "typer": [py, str(HERE / "bare_typer.py")],
        "triage, JSON answers": [py, "-m", "playbook", "triage", "-a", str(json_file), "-f", "json"],
        "triage, YAML answers": [py, "-m", "playbook", "triage", "-a", str(yaml_file), "-f", "json"],
    }, args.runs)

    load = bench_load(200)
    print(f"\nrule base load, cached (budget: <= 5 ms): {load * 1000:.2f} ms")
    rate = bench_batch(20000)
    print(f"batch without drafts (budget: >= 20,000/s): {rate:,.0f} incidents/s")
    drafts_rate = bench_batch(5000, drafts=True)
    print(f"batch with drafts (budget: >= 2,000/s): {drafts_rate:,.0f} incidents/s")

    extra: list[tuple[str, Callable[[], None]]] = []
    for name, fn in extra:
        print(name)
        fn()

    ok = (version["playbook --version"] <= version["typer"] * 1.0
          and triage["triage, JSON answers"] <= triage["typer"] * 1.2
          and load <= 0.005 and rate >= 20000 and drafts_rate >= 2000)
    print("\nall budgets met" if ok else "\nSOME BUDGETS MISSED")


if __name__ == "__main__":
    main()
