"""The writer of the crash test: logs sessions through the services until it is killed.

python tests/store/crash_writer.py SQLITE_URL
    Prints `ready PID`, then `ack ID` for each session, on its own line, only
    after the session's transaction has committed: a printed id is an
    acknowledged write, which must survive a SIGKILL at any moment.

python tests/store/crash_writer.py --fork-server SQLITE_URL
    Imports EaseIn once, then for each `go` line on stdin forks a writer as
    above (a separate process, with its own connections); `reap PID` waits
    for that writer and prints `reaped PID`, after every line it wrote. It
    spares the crash test a cold start (~0.7 s here) for each of its kills.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta


def say(line: str) -> None:
    os.write(1, f"{line}\n".encode())  # one small write: never interleaved or half-kept


def write_forever(url: str) -> None:
    from easein.domain.sessions import Session, SessionKind
    from easein.services import training
    from easein.services.app import open_app
    from easein.services.profile import local_profile
    from easein.settings import Settings

    app = open_app(Settings(database_url=url), migrate=False)
    profile = local_profile(app)
    say(f"ready {os.getpid()}")
    n = 0
    while True:
        n += 1
        draft = Session(
            id=0,
            kind=SessionKind.STRETCH,
            started_at=app.now() - timedelta(minutes=20),
            duration=timedelta(minutes=15),
            item_ids=(0,),
            reached_item_id=0,
            reached_mm=0,
            pain=n % 3,
            comfort=7,
            notes=f"crash test write {n}",
        )
        session = training.log_session(app, profile, draft, ["small"])
        # log_session returns after its transaction committed (synchronous=FULL).
        say(f"ack {session.id}")


def fork_server(url: str) -> None:
    # Import everything a writer needs, but open no database here: each child opens its own.
    import easein.services.training  # noqa: F401
    from easein.services import app, profile  # noqa: F401

    say("server ready")
    for line in sys.stdin:
        command, *rest = line.split()
        if command == "go":
            pid = os.fork()
            if pid == 0:
                try:
                    write_forever(url)
                except BaseException as error:
                    say(f"failed {error!r}")  # the test reads this instead of waiting
                finally:
                    os._exit(1)
        elif command == "reap":
            os.waitpid(int(rest[0]), 0)
            say(f"reaped {rest[0]}")


if __name__ == "__main__":
    if sys.argv[1] == "--fork-server":
        fork_server(sys.argv[2])
    else:
        write_forever(sys.argv[1])
