"""In-process timings of status (+ recommendation) and full stats on ten years of sessions.

    python bench/engine.py [--db PATH] [--status-runs 200] [--stats-runs 30] [--json] [--profile]

Builds or reuses the seed database (bench/seed.py), opens the app on it with
a fixed clock (the moment the seed was made for), warms up, then times each
call with time.perf_counter. Targets (issue 2, "Performance"): status median
under 5 ms, stats median under 50 ms. A benchmark reports; it exits 0 either way.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed  # bench/seed.py, next to this file

TARGETS_MS = {"status": 5.0, "stats": 50.0}


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def measure(fn: Callable[[], Any], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return times


def profile_top(fn: Callable[[], Any], runs: int, limit: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=seed.DEFAULT_PATH, help="seed database")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--status-runs", type=int, default=200)
    parser.add_argument("--stats-runs", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--profile", action="store_true", help="also print cProfile's top functions of each call"
    )
    args = parser.parse_args(argv)

    path = seed.build(args.db, args.years, quiet=args.json)
    now = seed.seed_now(path)

    from easein.services import stats as stats_service
    from easein.services import training
    from easein.services.app import open_app
    from easein.services.profile import local_profile
    from easein.settings import Settings

    app = open_app(Settings(database_url=str(path)), clock=lambda: now)
    try:
        known = local_profile(app)
        # The targets are for the work itself: a profile of unknown revision is never
        # served from the memo (services.memo), so every call reads and derives again.
        # The memo-hit figures (what a repeated request costs) are printed beside them.
        profile = replace(known, revision=None)
        checks = {
            "status": lambda: training.status(app, profile),
            "stats": lambda: stats_service.stats(app, profile),
            "status (memo hit)": lambda: training.status(app, known),
            "stats (memo hit)": lambda: stats_service.stats(app, known),
        }
        first = checks["status"]()
        summary = checks["stats"]()
        results: dict[str, dict[str, Any]] = {}
        for name, runs, warmup in (
            ("status", args.status_runs, 20),
            ("stats", args.stats_runs, 3),
            ("status (memo hit)", args.status_runs, 20),
            ("stats (memo hit)", args.status_runs, 3),
        ):
            times = measure(checks[name], runs, warmup)
            median = statistics.median(times)
            results[name] = {
                "runs": runs,
                "median_ms": round(median, 3),
                "p95_ms": round(percentile(times, 95), 3),
                "min_ms": round(min(times), 3),
                "target_median_ms": TARGETS_MS.get(name),
                "pass": median < TARGETS_MS[name] if name in TARGETS_MS else None,
            }
        profiles = (
            {
                name: profile_top(fn, 50 if name == "status" else 5)
                for name, fn in checks.items()
                if name in TARGETS_MS
            }
            if args.profile
            else {}
        )
    finally:
        app.close()

    marker = seed.read_marker(path) or {}
    context = {
        "db": str(path),
        "sessions": summary.sessions,
        "stretch": int(marker.get("stretch", 0)),
        "wear": int(marker.get("wear", 0)),
        "days": f"{marker.get('first_day')}..{marker.get('last_day')}",
        "weeks": len(summary.weeks),
        "plan_occurrences": (
            summary.adherence.done
            + summary.adherence.missed
            + summary.adherence.excused
            + summary.adherence.due
            if summary.adherence
            else 0
        ),
        "state": first.safety.state.value,
        "recommendation": first.recommendation.action.value,
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if args.json:
        print(json.dumps({"context": context, "results": results}, indent=2))
    else:
        print(
            f"seed: {context['sessions']} sessions ({context['stretch']} stretch + "
            f"{context['wear']} wear), {context['days']}; status {context['state']}, "
            f"next {context['recommendation']}; load average {context['load_average_1m']}"
        )
        print(f"{'call':<18} {'runs':>5} {'median ms':>10} {'p95 ms':>9} {'target':>9}  result")
        for name, r in results.items():
            target = r["target_median_ms"]
            verdict = "" if r["pass"] is None else ("PASS" if r["pass"] else "MISS")
            print(
                f"{name:<18} {r['runs']:>5} {r['median_ms']:>10.2f} {r['p95_ms']:>9.2f} "
                f"{'< ' + format(target, 'g') if target else '-':>9}  {verdict}"
            )
        for name, text in profiles.items():
            print(f"\n--- cProfile: {name} ---\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
