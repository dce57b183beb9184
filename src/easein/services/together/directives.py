"""Directives: the partner sets, changes and ends them; the trainee acknowledges them.

Every spec goes through `domain.directives` against the trainee's ladder and
earned size (refused with the rule when unsafe, and the refusal is logged). A
directive's status is computed at the moment it is read, from the trainee's own
safety state (`services.training.status` on the trainee's profile, read fresh).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain import directives as rules
from easein.domain import rules as rule_ids
from easein.domain.audit import AuditKind
from easein.domain.directive_status import DirectiveState, DirectiveStatus, status_at
from easein.domain.directives import Directive, DirectiveSpec
from easein.domain.errors import UnsafeItem
from easein.domain.ladder import Ladder
from easein.domain.pairing import Pairing, Role
from easein.domain.safety import State, evaluate
from easein.domain.stop_and_talk import StopAndTalk
from easein.domain.toys import Toy
from easein.services import training
from easein.services.app import App
from easein.services.together.records import (
    Member,
    audit,
    directive_of,
    directive_row,
    member,
    open_stops_of_trainee,
    profile_of,
    revisions_of,
    spec_payload,
    stops_of,
)
from easein.services.toys import load_toys
from easein.services.training import Status
from easein.store.codec import add_sealed
from easein.store.together_models import DirectiveRevisionRow, DirectiveRow


@dataclass(frozen=True)
class DirectiveView:
    """A directive's current revision and its status now, worded for the reader's role."""

    directive: Directive
    status: DirectiveStatus
    role: Role

    @property
    def message(self) -> str:
        return self.status.message if self.role is Role.TRAINEE else self.status.partner_message

    @property
    def rule(self) -> str | None:
        if self.role is Role.PARTNER and self.status.state is DirectiveState.SUSPENDED_FOR_SAFETY:
            return rule_ids.DIRECTIVE_SUSPENDED_FOR_SAFETY  # never which safety rule
        return self.status.rule


@dataclass(frozen=True)
class TraineeNow:
    """What a directive's status depends on, about the trainee, at this moment."""

    state: State  # the safety state directives obey (this pairing's stop and talk aside)
    stops: list[StopAndTalk]
    ladder: Ladder
    below_mm: float | None
    toys: dict[int, Toy]


def trainee_status(app: App, person_id: int, pairing_id: int) -> Status:
    """Return the trainee's own status (their profile read fresh by id, never the caller's).

    Called before a write transaction opens: status may have to rebuild and store
    the trainee's folded state, which is a write of its own.
    """
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        trainee = profile_of(db, found.pairing.trainee_id)
    return training.status(app, trainee)


def trainee_now(db: DbSession, app: App, pairing: Pairing, current: Status) -> TraineeNow:
    """Return the trainee's state for directives, in the caller's transaction."""
    state = current.safety.state
    open_stops = open_stops_of_trainee(db, pairing.trainee_id)
    if state is State.PAUSED and open_stops and all(s.pairing_id == pairing.id for s in open_stops):
        # Paused by this pairing's stop and talk: without it, is safety fine? Then the
        # directive reads "paused by stop and talk" (domain.directive_status's order).
        trainee = profile_of(db, pairing.trainee_id)
        conditions = training.load_conditions(db, app, trainee.person_id)
        state = evaluate(current.training, conditions, app.now(), trainee.tz).state
    toys = {t.id: t for t in load_toys(db, app, pairing.trainee_id)}
    return TraineeNow(
        state, stops_of(db, pairing.id), current.ladder, current.training.below_mm, toys
    )


def status_of(app: App, directive: Directive, pairing: Pairing, now: TraineeNow) -> DirectiveStatus:
    item = now.toys.get(directive.item_id) if directive.item_id is not None else None
    return status_at(
        directive,
        app.now(),
        pairing=pairing,
        safety=now.state,
        stops=now.stops,
        item=item,
        ladder=now.ladder,
        policy=app.policy,
        below_mm=now.below_mm,
    )


def _current(db: DbSession, app: App, row: DirectiveRow, trainee_id: int) -> Directive:
    revisions = revisions_of(db, [row.id])[row.id]
    return directive_of(row, revisions[-1], app, trainee_id)


def _view(
    db: DbSession, app: App, found: Member, row: DirectiveRow, current: Status
) -> DirectiveView:
    directive = _current(db, app, row, found.pairing.trainee_id)
    now = trainee_now(db, app, found.pairing, current)
    return DirectiveView(directive, status_of(app, directive, found.pairing, now), found.role)


def _refused(
    app: App, pairing_id: int, person_id: int, spec: DirectiveSpec, error: UnsafeItem
) -> None:
    """Log a refusal in its own transaction: the refused directive itself is not written."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id)
        audit(
            db,
            app,
            found.pairing,
            person_id,
            AuditKind.DIRECTIVE_REFUSED,
            {"kind": spec.kind.value, "item_id": spec.item_id, "rule": error.code},
        )


def create_directive(
    app: App, person_id: int, pairing_id: int, spec: DirectiveSpec
) -> DirectiveView:
    """Set a directive (the partner only), if safety allows it; else raise why, with the rule."""
    current = trainee_status(app, person_id, pairing_id)
    try:
        with app.db.writing() as db:
            found = member(db, app, pairing_id, person_id, for_update=True)
            toys = {t.id: t for t in load_toys(db, app, found.pairing.trainee_id)}
            made = rules.create_directive(
                spec,
                new_id=0,
                pairing=found.pairing,
                person_id=person_id,
                now=app.now(),
                item=toys.get(spec.item_id) if spec.item_id is not None else None,
                ladder=current.ladder,
                policy=app.policy,
                below_mm=current.training.below_mm,
            )
            trainee_id = found.pairing.trainee_id
            row = DirectiveRow(
                pairing_id=found.pairing.id,
                person_id=trainee_id,
                created_by=person_id,
                created_at=made.revised_at,
                revision=1,
            )
            db.add(row)
            db.flush()
            _add_revision(db, app, row, made, person_id, trainee_id)
            db.flush()
            audit(
                db,
                app,
                found.pairing,
                person_id,
                AuditKind.DIRECTIVE_CREATED,
                {"directive_id": row.id, "kind": made.kind.value, "item_id": made.item_id},
            )
            return _view(db, app, found, row, current)
    except UnsafeItem as error:
        _refused(app, pairing_id, person_id, spec, error)
        raise


def _add_revision(
    db: DbSession, app: App, row: DirectiveRow, directive: Directive, by: int, trainee_id: int
) -> None:
    revision = DirectiveRevisionRow(
        directive_id=row.id,
        person_id=trainee_id,
        revision=directive.revision,
        revised_at=directive.revised_at,
        revised_by=by,
        acknowledged_at=None,
    )
    data = spec_payload(directive)
    add_sealed(db, revision, app.codec, data, "directive_revisions", trainee_id)


def edit_directive(
    app: App, person_id: int, pairing_id: int, directive_id: int, spec: DirectiveSpec
) -> DirectiveView:
    """Change a directive (the partner): a new revision, checked like a new one, which the
    trainee acknowledges afresh. Earlier revisions are kept."""
    current = trainee_status(app, person_id, pairing_id)
    try:
        with app.db.writing() as db:
            found = member(db, app, pairing_id, person_id, for_update=True)
            row = directive_row(db, found.pairing, directive_id)
            before = _current(db, app, row, found.pairing.trainee_id)
            toys = {t.id: t for t in load_toys(db, app, found.pairing.trainee_id)}
            after = rules.edit_directive(
                before,
                spec,
                pairing=found.pairing,
                person_id=person_id,
                now=app.now(),
                item=toys.get(spec.item_id) if spec.item_id is not None else None,
                ladder=current.ladder,
                policy=app.policy,
                below_mm=current.training.below_mm,
            )
            row.revision = after.revision
            _add_revision(db, app, row, after, person_id, found.pairing.trainee_id)
            db.flush()
            changed = sorted(
                k for k, v in spec_payload(after).items() if spec_payload(before).get(k) != v
            )
            audit(
                db,
                app,
                found.pairing,
                person_id,
                AuditKind.DIRECTIVE_EDITED,
                {
                    "directive_id": row.id,
                    "revision": after.revision,
                    "fields_changed": ",".join(changed),
                },
            )
            return _view(db, app, found, row, current)
    except UnsafeItem as error:
        _refused(app, pairing_id, person_id, spec, error)
        raise


def acknowledge_directive(
    app: App, person_id: int, pairing_id: int, directive_id: int
) -> DirectiveView:
    """Acknowledge the directive's current revision (the trainee only)."""
    current = trainee_status(app, person_id, pairing_id)
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        row = directive_row(db, found.pairing, directive_id)
        revisions = revisions_of(db, [row.id])[row.id]
        before = directive_of(row, revisions[-1], app, found.pairing.trainee_id)
        after = rules.acknowledge(before, found.pairing, person_id, app.now())
        if after != before:
            revisions[-1].acknowledged_at = after.acknowledged_at
            audit(
                db,
                app,
                found.pairing,
                person_id,
                AuditKind.DIRECTIVE_ACKNOWLEDGED,
                {"directive_id": row.id, "revision": after.revision},
            )
        db.flush()
        return _view(db, app, found, row, current)


def end_directive(app: App, person_id: int, pairing_id: int, directive_id: int) -> DirectiveView:
    """End a directive (the partner only); its history and check-ins stay."""
    current = trainee_status(app, person_id, pairing_id)
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        row = directive_row(db, found.pairing, directive_id)
        before = _current(db, app, row, found.pairing.trainee_id)
        after = rules.end_directive(before, found.pairing, person_id, app.now())
        row.ended_at, row.ended_by = after.ended_at, after.ended_by
        db.flush()
        audit(
            db, app, found.pairing, person_id, AuditKind.DIRECTIVE_ENDED, {"directive_id": row.id}
        )
        return _view(db, app, found, row, current)


def list_directives(
    app: App, person_id: int, pairing_id: int, *, include_ended: bool = True
) -> list[DirectiveView]:
    """Return the pairing's directives with their status now, newest first (both members)."""
    current = trainee_status(app, person_id, pairing_id)
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        rows = list(
            db.scalars(
                select(DirectiveRow)
                .where(DirectiveRow.pairing_id == pairing_id)
                .order_by(DirectiveRow.id.desc())
            )
        )
        if not include_ended:
            rows = [r for r in rows if r.ended_at is None]
        revisions = revisions_of(db, [r.id for r in rows])
        now = trainee_now(db, app, found.pairing, current)
        found_views = []
        for row in rows:
            directive = directive_of(row, revisions[row.id][-1], app, found.pairing.trainee_id)
            status = status_of(app, directive, found.pairing, now)
            found_views.append(DirectiveView(directive, status, found.role))
        return found_views


def get_directive(app: App, person_id: int, pairing_id: int, directive_id: int) -> DirectiveView:
    """Return one directive of the pairing with its status now."""
    current = trainee_status(app, person_id, pairing_id)
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        return _view(db, app, found, directive_row(db, found.pairing, directive_id), current)


def directive_revisions(
    app: App, person_id: int, pairing_id: int, directive_id: int
) -> list[Directive]:
    """Return every revision of a directive, oldest first (edits never rewrite history)."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        row = directive_row(db, found.pairing, directive_id)
        return [
            directive_of(row, r, app, found.pairing.trainee_id)
            for r in revisions_of(db, [row.id])[row.id]
        ]
