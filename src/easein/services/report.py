"""The report for a clinician: one read of the owner's records, the domain's facts, a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from easein.domain.errors import Conflict
from easein.domain.report import Period, Report, build_report, parse_period
from easein.domain.training import replay
from easein.services import sealed_notes
from easein.services.app import App
from easein.services.profile import Profile
from easein.services.state import all_sessions, clearance_times, stored_state
from easein.services.toys import load_toys
from easein.services.training import load_conditions
from easein.store.models import SessionRow
from easein.store.records import session_from_row


@dataclass(frozen=True)
class ReportFile:
    """A rendered report: its PDF bytes and a neutral file name."""

    first_day: date
    last_day: date
    filename: str
    pdf: bytes


def clinician_report(
    app: App,
    profile: Profile,
    first: str | date | None,
    last: str | date | None,
    *,
    notes: bool = False,
) -> Report:
    """Return the facts of the owner's records from `first` to `last` (local days, included).

    Everything is read in one read transaction and nothing is written: a stale
    folded state is replayed here from the log rather than stored.
    """
    tz, now = profile.tz, app.now()
    period = parse_period(first, last, tz, today=now.astimezone(tz).date())
    query = (
        select(SessionRow)
        .where(
            SessionRow.person_id == profile.person_id,
            SessionRow.started_at >= period.start,
            SessionRow.started_at < period.end,
        )
        .order_by(SessionRow.started_at, SessionRow.id)
    )
    with app.db.reading() as db:
        held = sealed_notes.notes_codec(profile.data_key)
        sessions = [session_from_row(row, app.codec, held) for row in db.scalars(query)]
        if notes and any(s.notes_locked for s in sessions):
            raise Conflict(
                "your session notes open only with your password: sign in again, or make "
                "the report without notes",
                field="notes",
                code="notes_locked",
            )
        toys = load_toys(db, app, profile.person_id)
        conditions = load_conditions(db, app, profile.person_id)
        training = stored_state(db, app, profile)
        if training is None:
            log = all_sessions(db, app, profile.person_id)
            training = replay(log, clearance_times(db, profile.person_id), app.policy, tz)
    return build_report(
        sessions,
        toys,
        conditions,
        training,
        period,
        now=now,
        tz=tz,
        units=profile.units,
        policy=app.policy,
        include_notes=notes,
    )


def report_pdf(
    app: App,
    profile: Profile,
    first: str | date | None,
    last: str | date | None,
    *,
    notes: bool = False,
) -> ReportFile:
    """Return the owner's report from `first` to `last` as a PDF."""
    from easein.services import report_pdf as layout

    facts = clinician_report(app, profile, first, last, notes=notes)
    name = f"training-record-{facts.first_day.isoformat()}-to-{facts.last_day.isoformat()}.pdf"
    return ReportFile(
        facts.first_day, facts.last_day, name, layout.render(facts, created=app.now())
    )


def default_period(app: App, profile: Profile) -> Period:
    """Return the period a report covers when none is given: the last 90 days, to today."""
    tz = profile.tz
    return parse_period(None, None, tz, today=app.now().astimezone(tz).date())
