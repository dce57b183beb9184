"""The application context every service takes: database, settings, codec, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from easein.domain.policy import Policy
from easein.services.memo import Memo
from easein.settings import Settings
from easein.store.codec import PayloadCodec, PlainCodec
from easein.store.db import Database, make_engine


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    """What the services need. Build it with `open_app`; tests pass their own clock."""

    db: Database
    settings: Settings
    policy: Policy
    codec: PayloadCodec = field(default_factory=PlainCodec)
    clock: Callable[[], datetime] = utc_now
    memo: Memo = field(default_factory=Memo)

    def __post_init__(self) -> None:
        self.db.on_change.append(self.memo.forget)

    def now(self) -> datetime:
        return self.clock()

    def close(self) -> None:
        self.db.dispose()


def open_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] | None = None,
    migrate: bool = True,
) -> App:
    """Return the app on the configured database, migrated to the newest schema."""
    policy = Policy.checked(**settings.thresholds())
    engine = make_engine(settings.resolved_database_url(), busy_timeout_ms=settings.busy_timeout_ms)
    if migrate:
        from easein.store.migrations import ensure_current

        ensure_current(engine)
    return App(db=Database(engine), settings=settings, policy=policy, clock=clock or utc_now)
