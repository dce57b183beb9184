"""What sealing notes, comments and answers under keys the people hold costs.

    python bench/sealed_notes.py [--sessions 1000] [--runs 5] [--json]

On a fresh SQLite database in a temporary folder (the default settings, with the
default Argon2 parameters), a trainee and a partner sign up and pair at "full with
notes"; then it times, as medians over `--runs` (after one warm-up):

- logging one session with notes, signed in (data key + the partner's copy);
- the trainee's history of `--sessions` sessions with their key, and without it
  (notes locked: what the worker and the command line pay);
- the partner's list of the newest 50 shared sessions, notes opened from the copies;
- the one-time move at sign-in of `--sessions` sessions logged without the key,
  with the copies made again, against a sign-in with nothing to move (the Argon2id
  of the password is in both; the difference is the move).

A benchmark reports; it exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from easein.domain.pairing import PLAIN_WORDS
from easein.domain.sessions import Session, SessionKind
from easein.domain.sharing import SharingLevel
from easein.domain.toys import Base, ToyKind
from easein.services import accounts, toys, training
from easein.services.app import App, open_app
from easein.services.together import pairing, views
from easein.services.together.records import profile_of
from easein.settings import Settings

PASSWORD = "a long passphrase for the bench"
START = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def median_ms(fn: Any, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def draft(at: datetime, n: int) -> Session:
    return Session(
        id=0,
        kind=SessionKind.STRETCH,
        started_at=at,
        duration=timedelta(minutes=15),
        item_ids=(),
        reached_item_id=0,
        reached_mm=0.0,
        pain=1,
        notes=f"evening {n}: slow and warm, a little tight at first, then easy",
    )


def sign_up(app: App, name: str) -> accounts.Principal:
    _, token, _ = accounts.register(
        app, username=name, password=PASSWORD, adult=True, timezone="UTC", units="mm"
    )
    return accounts.authenticate(app, token)


def fill(app: App, clock: Clock, who: accounts.Principal, item: int, count: int, keyed: bool):
    """Log `count` sessions a day apart, with or without the data key."""
    for n in range(count):
        clock.now += timedelta(days=1)
        with app.db.reading() as db:
            profile = profile_of(db, who.profile.person_id)
        if keyed:
            profile = replace(profile, data_key=who.data_key)
        training.log_session(app, profile, draft(clock.now - timedelta(minutes=15), n), [item])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'bench.db'}",
            key_file=str(Path(folder) / "easein.key"),
        )
        clock = Clock()
        app = open_app(settings, clock=clock)
        try:
            figures = run(app, clock, args.sessions, args.runs)
        finally:
            app.close()
    figures["sessions"] = args.sessions
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, value in figures.items():
            print(
                f"{name:>44}: {value:.2f}" if isinstance(value, float) else f"{name:>44}: {value}"
            )
    return 0


def run(app: App, clock: Clock, count: int, runs: int) -> dict[str, Any]:
    tia, pat = sign_up(app, "tia"), sign_up(app, "pat")
    made = pairing.invite(app, tia.profile.person_id)
    pid = pairing.accept_invitation(
        app, pat.profile.person_id, made.code, data_key=pat.data_key
    ).pairing.id
    level = SharingLevel.FULL_WITH_NOTES
    pairing.change_sharing(app, tia.profile.person_id, pid, level, data_key=tia.data_key)
    for who in (pat, tia):
        pairing.accept_summary(
            app, who.profile.person_id, pid, seen=level, seen_words=PLAIN_WORDS,
            data_key=who.data_key,
        )  # fmt: skip
    item = toys.add_toy(
        app, tia.profile.person_id, name="p20", kind=ToyKind.PLUG, diameter_mm=20,
        base=Base.FLARED,
    ).id  # fmt: skip
    fill(app, clock, tia, item, count, keyed=True)
    with app.db.reading() as db:
        plain = profile_of(db, tia.profile.person_id)
    keyed = replace(plain, data_key=tia.data_key)
    figures: dict[str, Any] = {}

    def log_one() -> None:
        clock.now += timedelta(days=1)
        training.log_session(app, keyed, draft(clock.now - timedelta(minutes=15), 0), [item])

    figures["log one session with notes (ms)"] = median_ms(log_one, runs)
    figures["history with the key (ms)"] = median_ms(lambda: training.history(app, keyed), runs)
    figures["history without the key (ms)"] = median_ms(lambda: training.history(app, plain), runs)
    figures["partner's newest 50, notes from copies (ms)"] = median_ms(
        lambda: views.shared_sessions(app, pat.profile.person_id, pid, data_key=pat.data_key),
        runs,
    )
    figures["sign-in, nothing to move (ms)"] = median_ms(
        lambda: accounts.login(app, username="tia", password=PASSWORD), runs
    )

    # The same number of sessions again, logged without the key (the command line):
    # the next sign-in moves them and makes their copies. Only the first sign-in pays.
    fill(app, clock, tia, item, count, keyed=False)
    began = time.perf_counter()
    accounts.login(app, username="tia", password=PASSWORD)
    figures[f"sign-in moving {count} sessions (ms)"] = (time.perf_counter() - began) * 1000
    shown = views.shared_sessions(app, pat.profile.person_id, pid, data_key=pat.data_key)
    figures["partner's newest 50 with notes after the move"] = sum(
        1 for s in shown if s.get("notes")
    )
    return figures


if __name__ == "__main__":
    raise SystemExit(main())
