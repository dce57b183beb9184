"""Small builders for domain values in tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from easein.domain.sessions import Session, SessionKind
from easein.domain.toys import Base, Toy, ToyKind

_ids = count(1)
T0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)  # a Monday evening in Berlin


def toy(
    name: str, mm: float, base: Base = Base.FLARED, kind: ToyKind = ToyKind.PLUG, **kw: Any
) -> Toy:
    return Toy(id=kw.pop("id", next(_ids)), name=name, kind=kind, diameter_mm=mm, base=base, **kw)


def session(
    mm: float,
    day: float = 0,
    *,
    pain: int = 1,
    item_id: int = 1,
    **kw: Any,
) -> Session:
    """A comfortable 15-minute stretch session at `mm`, `day` days after T0."""
    base = Session(
        id=next(_ids),
        kind=SessionKind.STRETCH,
        started_at=T0 + timedelta(days=day),
        duration=timedelta(minutes=15),
        item_ids=(item_id,),
        reached_item_id=item_id,
        reached_mm=mm,
        pain=pain,
    )
    return replace(base, **kw)
