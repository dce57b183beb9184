"""Whole-process time of `easein --db SEED status --json`, beside the import floor.

    python bench/cli_start.py [--db PATH] [--runs 10] [--json] [--profile]

Runs, interleaved round by round (the order rotating each round, so that
neither side always goes first), after one warm-up run each:

- floor:  python -c "import sqlalchemy.orm, typer"
- script: the venv's `easein` console script, --db SEED status --json
- module: python -m easein --db SEED status --json
- bare:   python -c pass (for scale)

and prints the medians and the ratio script/floor (target <= 1.4, issue 2).
Then one `python -X importtime -m easein ... status --json`: the 10 modules
with the largest cumulative import time, and the self time summed by
top-level package (what is heavy, and whether it belongs on this path).
`--profile` adds cProfile's view of one whole status run.
A benchmark reports; it exits 0 either way.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed  # bench/seed.py, next to this file

TARGET_RATIO = 1.4
# Heavy or unrelated to a status: worth flagging, with their importer, if they are imported.
SUSPECTS = (
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "pydantic",
    "pydantic_settings",
    "alembic",
    "mako",
    "rich",
    "dateutil",
    "platformdirs",
    "easein.services.exchange",
    "easein.services.import_schema",
)


def easein_script() -> str:
    here = Path(sys.executable).parent / "easein"
    if here.exists():
        return str(here)
    found = shutil.which("easein")
    if not found:
        raise SystemExit("no `easein` script next to this Python or on PATH")
    return found


def run_once(
    argv: list[str], env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    began = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    return (time.perf_counter() - began) * 1000, done


def check_status_output(done: subprocess.CompletedProcess[str], name: str) -> str:
    if done.returncode != 0:
        raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.strip()[:500]}")
    data = json.loads(done.stdout)
    if "state" not in data or "recommendation" not in data:
        raise SystemExit(f"{name}: unexpected output {done.stdout[:200]!r}")
    return str(data["state"])


def importtime(argv: list[str], env: dict[str, str]) -> list[tuple[str, int, int, int]]:
    """Return (module, self us, cumulative us, depth) for every import of `argv`."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, env=env
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((name.strip(), int(self_us), int(cumulative_us), depth))
    return rows


def importer(rows: list[tuple[str, int, int, int]], name: str) -> str | None:
    """Return the module whose import first pulled `name` in (None at top level)."""
    for i, (module, _, _, depth) in enumerate(rows):
        if module == name:
            return next((r[0] for r in rows[i + 1 :] if r[3] < depth), None)
    return None


def by_package(rows: list[tuple[str, int, int, int]]) -> list[tuple[str, float]]:
    totals: dict[str, int] = defaultdict(int)
    for name, self_us, _, _ in rows:
        root = name.split(".")[0]
        if root == "easein":
            root = ".".join(name.split(".")[:2])  # easein.cli, easein.services, ...
        totals[root] += self_us
    return sorted(((k, v / 1000) for k, v in totals.items()), key=lambda kv: -kv[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=seed.DEFAULT_PATH, help="seed database")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--profile", action="store_true", help="cProfile one status run")
    args = parser.parse_args(argv)

    path = str(seed.build(args.db, args.years, quiet=args.json))
    env = dict(os.environ)
    env.pop("EASEIN_DEBUG", None)
    status_args = ["--db", path, "status", "--json"]
    commands: dict[str, list[str]] = {
        "floor": [sys.executable, "-c", "import sqlalchemy.orm, typer"],
        "script": [easein_script(), *status_args],
        "module": [sys.executable, "-m", "easein", *status_args],
        "bare": [sys.executable, "-c", "pass"],
    }

    state = ""
    for name, cmd in commands.items():  # warm-up: file cache, .pyc files
        _, done = run_once(cmd, env)
        if name in ("script", "module"):
            state = check_status_output(done, name)
        elif done.returncode != 0:
            raise SystemExit(f"{name} failed: {done.stderr.strip()[:500]}")

    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(args.runs):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            elapsed, done = run_once(commands[name], env)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed: {done.stderr.strip()[:500]}")
            times[name].append(elapsed)

    medians = {name: statistics.median(t) for name, t in times.items()}
    ratio = medians["script"] / medians["floor"]
    module_ratio = medians["module"] / medians["floor"]

    rows = importtime(["-m", "easein", *status_args], env)
    top = sorted(rows, key=lambda r: -r[2])[:10]
    packages = by_package(rows)
    imported = {r[0] for r in rows}
    suspects = [f"{s} (via {importer(rows, s) or 'top level'})" for s in SUSPECTS if s in imported]

    profile_text = ""
    if args.profile:
        done = subprocess.run(
            [sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "easein", *status_args],
            capture_output=True,
            text=True,
            env=env,
        )
        lines = done.stdout.splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        profile_text = "\n".join(lines[max(0, start - 3) : start + 40])

    load = os.getloadavg()
    figures: dict[str, Any] = {
        "db": path,
        "state": state,
        "runs": args.runs,
        "load_average_1m": round(load[0], 2),
        "median_ms": {k: round(v, 1) for k, v in medians.items()},
        "min_ms": {k: round(min(v), 1) for k, v in times.items()},
        "ratio_script_to_floor": round(ratio, 2),
        "ratio_module_to_floor": round(module_ratio, 2),
        "target_ratio": TARGET_RATIO,
        "pass": ratio <= TARGET_RATIO,
        "importtime_top_cumulative_ms": [[n, round(c / 1000, 1)] for n, _, c, _ in top],
        "importtime_self_by_package_ms": [[n, round(ms, 1)] for n, ms in packages[:12]],
        "importtime_total_ms": round(sum(r[1] for r in rows) / 1000, 1),
        "suspects_imported": suspects,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0

    out = io.StringIO()
    w = out.write
    w(f"easein status --json on {path} (state {state}); {args.runs} interleaved runs each, ")
    w(f"load average {load[0]:.2f}\n")
    w(f"{'command':<8} {'median ms':>10} {'min ms':>8}\n")
    for name in commands:
        w(f"{name:<8} {medians[name]:>10.1f} {min(times[name]):>8.1f}\n")
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
    w(f"ratio script/floor {ratio:.2f} (target <= {TARGET_RATIO}): {verdict}\n")
    w(f"ratio module/floor {module_ratio:.2f}\n")
    w("\n-X importtime, top 10 cumulative (ms):\n")
    for name, _, cumulative, depth in top:
        w(f"  {cumulative / 1000:8.1f}  {'  ' * depth}{name}\n")
    w(f"\nself time by package (ms), total {figures['importtime_total_ms']}:\n")
    for name, ms in packages[:12]:
        w(f"  {ms:8.1f}  {name}\n")
    if suspects:
        w("\nworth a look (does a status need them?):\n")
        for line in suspects:
            w(f"  {line}\n")
    if profile_text:
        w("\ncProfile of one `easein status --json` run:\n" + profile_text + "\n")
    print(out.getvalue(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
