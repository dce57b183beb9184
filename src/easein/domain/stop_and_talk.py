"""Stop and talk: one tap pauses every directive at once; only the trainee resumes.

Anyone in the pairing can call it, at any time, with no confirmation and no
cooldown: calling while one is already open simply returns the open one, so
the button can never fail a person who needs it. Only the trainee (the
receiver, who sets the pace) resumes, and may do so as soon as they like.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from easein.domain.adherence import Interval
from easein.domain.errors import Conflict, NotFound
from easein.domain.pairing import Pairing, Role, other_member, require_role, role_of

EXCUSE = "stop_and_talk"


@dataclass(frozen=True)
class StopAndTalk:
    """One stop and talk: who called it and when, and when the trainee resumed."""

    id: int
    pairing_id: int
    called_by: int
    called_at: datetime
    resumed_by: int | None = None
    resumed_at: datetime | None = None

    def open_at(self, at: datetime) -> bool:
        return self.called_at <= at and (self.resumed_at is None or at < self.resumed_at)


def open_stop(stops: Iterable[StopAndTalk], at: datetime) -> StopAndTalk | None:
    """Return the stop and talk open at `at`, if any (the earliest called)."""
    found = [s for s in stops if s.open_at(at)]
    return min(found, key=lambda s: s.called_at, default=None)


def call_stop_and_talk(
    stops: Sequence[StopAndTalk], pairing: Pairing, person_id: int, now: datetime, new_id: int
) -> StopAndTalk:
    """Return the stop and talk now open: a new one, or the one already open.

    Never refused to a member of a pairing that has not ended (rule `directive.stop_and_talk`).
    """
    role_of(pairing, person_id)
    if pairing.ended_at is not None:
        raise Conflict(
            "this pairing has ended: there are no directives left to pause",
            field="pairing",
            code="pairing_ended",
        )
    already = open_stop((s for s in stops if s.pairing_id == pairing.id), now)
    if already is not None:
        return already
    return StopAndTalk(new_id, pairing.id, person_id, now)


def resume(stop: StopAndTalk, pairing: Pairing, person_id: int, now: datetime) -> StopAndTalk:
    """Return `stop` resumed by the trainee; the partner cannot (rule `directive.stop_and_talk`)."""
    if stop.pairing_id != pairing.id:
        raise NotFound("no such stop and talk", field="stop")
    require_role(pairing, person_id, Role.TRAINEE, "resume after a stop and talk")
    if stop.resumed_at is not None:
        raise Conflict("this stop and talk was already resumed", field="stop", code="resumed")
    return replace(stop, resumed_by=person_id, resumed_at=max(now, stop.called_at))


def who_to_tell(stop: StopAndTalk, pairing: Pairing) -> int:
    """Return the person to notify: the other member from the one who called it."""
    return other_member(pairing, stop.called_by)


def stop_intervals(stops: Iterable[StopAndTalk]) -> list[Interval]:
    """Return the periods directives were paused by stop and talk, oldest first."""
    return sorted(
        (Interval(s.called_at, s.resumed_at, EXCUSE) for s in stops), key=lambda i: i.start
    )
