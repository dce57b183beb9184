"""Timings of the clinician report (`easein report`): facts + PDF for three periods.

    python bench/report.py [--db PATH] [--runs 5] [--json] [--profile]

Builds or reuses the seed database (bench/seed.py), opens the app on it with a
fixed clock (the moment the seed was made for), and times `report_pdf` for the
last month, the last year, and the period that ends yesterday and holds about
1,100 sessions (the size reported slow: ~7 s with fpdf2's `table()`). Each
figure is split into the facts (`clinician_report`: read + domain) and the
layout (`report_pdf.render`: fpdf2); the first run of each is a warm-up and not
counted. Target: the whole report for ~1,100 sessions under 1.5 s (median).
`--as-is` uses `--db` without checking its seed marker (a copy of an older seed).
A benchmark reports; it exits 0 either way.
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed  # bench/seed.py, next to this file

TARGET_S = 1.5  # for ~1,100 sessions
AROUND = 1100


def _timed(fn: Any) -> tuple[float, Any]:
    began = time.perf_counter()
    value = fn()
    return time.perf_counter() - began, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=seed.DEFAULT_PATH, help="seed database")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--profile", action="store_true", help="cProfile the ~1,100 case once")
    parser.add_argument(
        "--as-is", action="store_true", help="use --db as it is, even if its seed marker is old"
    )
    args = parser.parse_args(argv)

    path = args.db.resolve() if args.as_is else seed.build(args.db, args.years, quiet=args.json)
    now = seed.seed_now(path)

    from sqlalchemy import select

    from easein.services import report_pdf as layout
    from easein.services.app import open_app
    from easein.services.profile import local_profile
    from easein.services.report import clinician_report
    from easein.settings import Settings
    from easein.store.models import SessionRow

    app = open_app(Settings(database_url=str(path)), clock=lambda: now)
    try:
        profile = local_profile(app)
        tz = profile.tz
        last = now.astimezone(tz).date() - timedelta(days=1)
        with app.db.reading() as db:
            starts = list(
                db.scalars(
                    select(SessionRow.started_at)
                    .where(SessionRow.person_id == profile.person_id)
                    .order_by(SessionRow.started_at.desc())
                    .limit(AROUND)
                )
            )
        around_first = starts[-1].astimezone(tz).date()
        periods: dict[str, tuple[date, date]] = {
            "1 month": (last - timedelta(days=30), last),
            "1 year": (last - timedelta(days=364), last),
            f"~{AROUND} sessions": (around_first, last),
        }
        results: dict[str, dict[str, Any]] = {}
        profiled = ""
        for name, (first, end) in periods.items():
            facts_s, render_s, total_s = [], [], []
            pages = sessions = size = 0
            for run in range(args.runs + 1):  # the first run warms up (imports, fonts)
                took_facts, facts = _timed(
                    lambda f=first, e=end: clinician_report(app, profile, f, e)
                )
                took_render, pdf = _timed(lambda r=facts: layout.render(r, created=now))
                if run == 0:
                    sessions, size = len(facts.log), len(pdf)
                    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
                    continue
                facts_s.append(took_facts)
                render_s.append(took_render)
                total_s.append(took_facts + took_render)
            median = statistics.median(total_s)
            results[name] = {
                "period": f"{first}..{end}",
                "sessions": sessions,
                "pages": pages,
                "pdf_kib": round(size / 1024),
                "runs": args.runs,
                "facts_median_s": round(statistics.median(facts_s), 3),
                "render_median_s": round(statistics.median(render_s), 3),
                "total_median_s": round(median, 3),
                "total_min_s": round(min(total_s), 3),
                "target_s": TARGET_S if name.startswith("~") else None,
                "pass": median < TARGET_S if name.startswith("~") else None,
            }
            if args.profile and name.startswith("~"):
                profiler = cProfile.Profile()
                facts = clinician_report(app, profile, first, end)
                profiler.enable()
                layout.render(facts, created=now)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
                profiled = out.getvalue()
    finally:
        app.close()

    context = {
        "db": str(path),
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if args.json:
        print(json.dumps({"context": context, "results": results}, indent=2))
        return 0
    print(f"seed {path.name}; load average {context['load_average_1m']}")
    print(
        f"{'period':<16} {'sessions':>8} {'pages':>5} {'KiB':>5} {'facts s':>8} "
        f"{'render s':>8} {'total s':>8} {'target':>7}  result"
    )
    for name, r in results.items():
        verdict = "" if r["pass"] is None else ("PASS" if r["pass"] else "MISS")
        target = f"< {r['target_s']:g}" if r["target_s"] else "-"
        print(
            f"{name:<16} {r['sessions']:>8} {r['pages']:>5} {r['pdf_kib']:>5} "
            f"{r['facts_median_s']:>8.3f} {r['render_median_s']:>8.3f} "
            f"{r['total_median_s']:>8.3f} {target:>7}  {verdict}"
        )
    if profiled:
        print(f"\n--- cProfile: render, ~{AROUND} sessions ---\n{profiled}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
