"""Where the start-up time of `easein status --json` goes, stage by stage (a diagnostic).

    python bench/cli_breakdown.py [--db PATH] [--runs 10] [--json]

Each run is a fresh process that imports in stages, timing each stage with
time.perf_counter (a module is charged to the first stage that imports it),
then runs the status command the way `easein.cli.main.run` does, with the
typer command-tree build timed apart from the command itself. Prints the
median of each stage over the runs. Complements bench/cli_start.py, which
times whole processes against the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed  # bench/seed.py, next to this file

# Run in a fresh interpreter; prints one JSON object of stage -> ms.
CHILD = r"""
import io, json, sys, time
from contextlib import redirect_stdout
stages = {}
def stage(name, code):
    began = time.perf_counter()
    exec(code, {})
    stages[name] = (time.perf_counter() - began) * 1000
began = time.perf_counter()
stage("floor: sqlalchemy.orm, typer", "import sqlalchemy.orm, typer")
stage("settings deps: platformdirs, tomllib", "import platformdirs, tomllib")
stage("easein.settings (the model)", "import easein.settings")
stage("easein.store (db, models, records, codec)",
      "import easein.store.db, easein.store.models, easein.store.records, easein.store.codec,"
      " easein.store.migrations")
stage("easein.domain needed by status",
      "import easein.domain.training, easein.domain.safety, easein.domain.progression,"
      " easein.domain.ladder, easein.domain.toys, easein.domain.units")
stage("easein.services needed by status",
      "import easein.services.app, easein.services.profile, easein.services.state,"
      " easein.services.toys, easein.services.training")
stage("rest of easein.cli.main (other commands' modules)", "import easein.cli.main")
imports = (time.perf_counter() - began) * 1000
import typer
from easein.cli import main as cli
t0 = time.perf_counter()
command = typer.main.get_command(cli.app)
t1 = time.perf_counter()
out = io.StringIO()
with redirect_stdout(out):
    code = command.main(args=sys.argv[1:], prog_name="easein", standalone_mode=False)
cli.STATE.close()
t2 = time.perf_counter()
assert json.loads(out.getvalue())["state"], out.getvalue()
stages["typer: build the command tree (get_command)"] = (t1 - t0) * 1000
stages["status command: open_app, profile, status, JSON"] = (t2 - t1) * 1000
stages["total in-process (after interpreter start)"] = imports + (t2 - t0) * 1000
print(json.dumps(stages))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=seed.DEFAULT_PATH, help="seed database")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    path = str(seed.build(args.db, args.years, quiet=args.json))

    runs: list[dict[str, float]] = []
    for _ in range(args.runs + 1):  # the first run warms the file cache; not counted
        done = subprocess.run(
            [sys.executable, "-c", CHILD, "--db", path, "status", "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    runs = runs[1:]
    medians = {name: statistics.median(r[name] for r in runs) for name in runs[0]}
    if args.json:
        print(json.dumps({"runs": args.runs, "median_ms": medians}, indent=2))
        return 0
    print(
        f"{args.runs} fresh processes, load average {os.getloadavg()[0]:.2f}; median ms per stage"
    )
    for name, ms in medians.items():
        print(f"  {ms:8.1f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
