"""Stop and talk: either member calls it, at once, with no confirmation and no cooldown;
only the trainee resumes. While one is open, the trainee's status reads "paused" and
every directive of the pairing is paused."""

from __future__ import annotations

from dataclasses import dataclass

from easein.domain import stop_and_talk as rules
from easein.domain.audit import AuditKind
from easein.domain.errors import NotFound
from easein.domain.pairing import Role, require_role
from easein.domain.stop_and_talk import StopAndTalk
from easein.services.app import App
from easein.services.together.records import audit, member, stops_of
from easein.store.models import StopAndTalkRow


@dataclass(frozen=True)
class StopCalled:
    """The stop and talk now open, and who is to be told (the other member)."""

    stop: StopAndTalk
    tell: int
    new: bool


def call_stop_and_talk(app: App, person_id: int, pairing_id: int) -> StopCalled:
    """Call a stop and talk: never refused to a member of a pairing that has not ended.

    Calling while one is open returns the open one (`new` is False), so the button
    never fails the person who needs it.
    """
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        stops = stops_of(db, pairing_id)
        stop = rules.call_stop_and_talk(stops, found.pairing, person_id, app.now(), new_id=0)
        new = stop.id == 0
        if new:
            row = StopAndTalkRow(
                pairing_id=pairing_id,
                person_id=found.pairing.trainee_id,  # bumps the trainee's revision: status pauses
                called_by=person_id,
                called_at=stop.called_at,
            )
            db.add(row)
            db.flush()
            stop = StopAndTalk(row.id, pairing_id, person_id, row.called_at)
            audit(
                db,
                app,
                found.pairing,
                person_id,
                AuditKind.STOP_AND_TALK_CALLED,
                {"stop_id": row.id},
            )
        return StopCalled(stop, rules.who_to_tell(stop, found.pairing), new)


def resume(app: App, person_id: int, pairing_id: int) -> StopAndTalk:
    """Resume after the open stop and talk (the trainee only, whenever they like)."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        require_role(found.pairing, person_id, Role.TRAINEE, "resume after a stop and talk")
        now = app.now()
        stop = rules.open_stop(stops_of(db, pairing_id), now)
        if stop is None:
            raise NotFound("no stop and talk is open", field="stop")
        done = rules.resume(stop, found.pairing, person_id, now)
        row = db.get(StopAndTalkRow, stop.id)
        assert row is not None
        row.resumed_by, row.resumed_at = done.resumed_by, done.resumed_at
        db.flush()
        audit(
            db, app, found.pairing, person_id, AuditKind.STOP_AND_TALK_RESUMED, {"stop_id": stop.id}
        )
        return done


def list_stops(app: App, person_id: int, pairing_id: int) -> list[StopAndTalk]:
    """Return every stop and talk of the pairing, oldest first (both members)."""
    with app.db.reading() as db:
        member(db, app, pairing_id, person_id)
        return stops_of(db, pairing_id)
