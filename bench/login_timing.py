"""Sign-in refusals take about as long for an unknown name as for a wrong password.

    python bench/login_timing.py [--runs 60] [--json]

Opens the app on a fresh temporary SQLite file with the default Argon2id
settings (the cost people get), registers one account, then times
`accounts.login` refusals, interleaved: a wrong password for the known name,
and any password for names nobody has (verified against a dummy hash of the
same parameters). Prints both medians, their difference and the ratio; a
ratio near 1 means the time does not tell the two apart. Throttling is set
out of the way. A benchmark reports; it exits 0 either way.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from easein.services import accounts
from easein.services.app import open_app
from easein.settings import Settings

TARGET_RATIO = 1.10  # unknown / known median, either way


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60, help="refusals of each kind")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=str(Path(tmp) / "login.db"), login_max_failures=10**9)
        app = open_app(settings)
        try:
            accounts.register(
                app,
                username="alice",
                password="a long passphrase",
                adult=True,
                timezone="UTC",
                units="mm",
            )
            known: list[float] = []
            unknown: list[float] = []

            def refuse(name: str) -> float:
                start = time.perf_counter()
                with contextlib.suppress(accounts.NotAuthenticated):
                    accounts.login(app, username=name, password="not the password")
                return (time.perf_counter() - start) * 1000

            refuse("alice")  # warm-up: the dummy hash, the statements, the caches
            refuse("nobody")
            for i in range(args.runs):
                known.append(refuse("alice"))
                unknown.append(refuse(f"nobody-{i}"))
        finally:
            app.close()

    known_ms, unknown_ms = statistics.median(known), statistics.median(unknown)
    ratio = unknown_ms / known_ms
    figures = {
        "argon2": {
            "time_cost": settings.argon2_time_cost,
            "memory_kib": settings.argon2_memory_kib,
            "parallelism": settings.argon2_parallelism,
        },
        "runs": args.runs,
        "known_wrong_password_median_ms": round(known_ms, 2),
        "unknown_user_median_ms": round(unknown_ms, 2),
        "difference_ms": round(unknown_ms - known_ms, 2),
        "ratio": round(ratio, 3),
        "load_1min": round(os.getloadavg()[0], 2),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    verdict = "PASS" if 1 / TARGET_RATIO <= ratio <= TARGET_RATIO else "MISS"
    print(
        f"argon2id t={settings.argon2_time_cost} m={settings.argon2_memory_kib} KiB "
        f"p={settings.argon2_parallelism}; {args.runs} refusals of each kind, interleaved"
    )
    print(f"known name, wrong password: median {known_ms:8.2f} ms")
    print(f"unknown name:               median {unknown_ms:8.2f} ms")
    print(
        f"difference {unknown_ms - known_ms:+.2f} ms, ratio {ratio:.3f} "
        f"(target within {TARGET_RATIO:.2f}x): {verdict}"
    )
    print(f"load average (1 min): {figures['load_1min']}")


if __name__ == "__main__":
    main()
