"""Check-ins on directives and compliance over a period, shown to both people.

The trainee checks in done, partly or skipped for each occurrence of a
directive, with the session log attached if there is one. Compliance keeps
missed and excused apart: an occurrence whose window overlapped a safety
period (rest, pause, medical hold) or an open stop and talk is excused, never
missed, and the partner only ever reads "safety" or "stop and talk" as the
excuse, never the medical reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from easein.domain.adherence import Interval
from easein.domain.directives import Directive, DirectiveKind
from easein.domain.errors import InvalidInput
from easein.domain.pairing import Pairing, Role, require_active, require_role
from easein.domain.schedule import Plan, localise, occurrences, require_aware
from easein.domain.sessions import SessionKind
from easein.domain.stop_and_talk import EXCUSE as STOP_EXCUSE
from easein.domain.stop_and_talk import StopAndTalk, stop_intervals

MAX_NOTE = 1000
SAFETY_EXCUSE = "safety"


class CheckInResult(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckIn:
    """The trainee's word on one occurrence (the local day it was planned for)."""

    directive_id: int
    day: date
    result: CheckInResult
    at: datetime
    session_id: int | None = None
    note: str = ""
    # The note is sealed under the pairing key, which whoever read this cannot open.
    note_locked: bool = False


def _plan(directive: Directive) -> Plan:
    kind = SessionKind.WEAR if directive.kind is DirectiveKind.WEAR else SessionKind.STRETCH
    at = directive.window.start if directive.window else time(0, 0)
    return Plan(directive.id, "directive", kind, directive.rrule, directive.starts_on, at,
                directive.duration)  # fmt: skip


def _span(directive: Directive, at: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the occurrence's window as UTC instants (the whole local day without one)."""
    if directive.window is not None:
        return at, at + directive.window.length
    day = at.astimezone(tz).date()
    return at, localise(datetime.combine(day + timedelta(days=1), time(0, 0)), tz)


def check_in(
    directive: Directive,
    pairing: Pairing,
    person_id: int,
    day: date,
    result: CheckInResult,
    now: datetime,
    tz: ZoneInfo,
    *,
    session_id: int | None = None,
    note: str = "",
) -> CheckIn:
    """Return the trainee's check-in for the directive's occurrence on local `day`."""
    require_active(pairing)
    require_role(pairing, person_id, Role.TRAINEE, "check in")
    require_aware(now, "now")
    if result is CheckInResult.SKIPPED and session_id is not None:
        raise InvalidInput(
            "a skipped occurrence has no session to attach", field="session", code="inconsistent"
        )
    if len(note.strip()) > MAX_NOTE:
        raise InvalidInput(f"note must be at most {MAX_NOTE} characters", field="note")
    start = localise(datetime.combine(day, time(0, 0)), tz)
    end = localise(datetime.combine(day + timedelta(days=1), time(0, 0)), tz)
    planned = occurrences(_plan(directive), tz, start, end)
    if not planned:
        raise InvalidInput(
            f"the directive asks nothing on {day.isoformat()}", field="day", code="not_planned"
        )
    if planned[0] > now:
        raise InvalidInput("that occurrence has not started yet", field="day", code="in_the_future")
    if directive.ended_at is not None and planned[0] >= directive.ended_at:
        raise InvalidInput("the directive had ended by then", field="day", code="directive_ended")
    return CheckIn(directive.id, day, result, now, session_id, note.strip())


class Outcome(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    SKIPPED = "skipped"
    MISSED = "missed"  # no check-in, the window is over, nothing excused it
    EXCUSED = "excused"  # safety or a stop and talk: never a miss
    DUE = "due"  # the window is still open


@dataclass(frozen=True)
class Slot:
    """One occurrence and what became of it."""

    directive_id: int
    revision: int
    at: datetime
    day: date
    outcome: Outcome
    excuse: str | None = None  # "safety" or "stop_and_talk"
    session_id: int | None = None


@dataclass(frozen=True)
class Compliance:
    done: int
    partly: int
    skipped: int
    missed: int
    excused: int
    due: int
    rate: float | None  # (done + partly / 2) / (done + partly + skipped + missed)


def _excuse(span: tuple[datetime, datetime], excused: Sequence[Interval]) -> str | None:
    start, end = span
    for interval in excused:
        if interval.start < end and (interval.end is None or interval.end > start):
            return STOP_EXCUSE if interval.reason == STOP_EXCUSE else SAFETY_EXCUSE
    return None


def slots(
    revisions: Sequence[Directive],
    check_ins: Sequence[CheckIn],
    safety: Sequence[Interval],
    stops: Sequence[StopAndTalk],
    tz: ZoneInfo,
    start: datetime,
    now: datetime,
) -> list[Slot]:
    """Return each occurrence from `start` to `now`, classified, in time order.

    `revisions` are one directive's revisions in order; each counts from the
    local day the trainee acknowledged it until the next revision was set (or
    the directive ended). `safety` is `excused.excused_intervals(...)`: its
    reasons are replaced by "safety". A done or partly check-in beats an
    excuse; an excuse beats skipped and missed.
    """
    require_aware(start, "start")
    require_aware(now, "now")
    excused = [*safety, *stop_intervals(stops)]
    answers = {(c.directive_id, c.day): c for c in sorted(check_ins, key=lambda c: c.at)}
    found: list[Slot] = []
    ordered = sorted(revisions, key=lambda d: d.revision)
    for index, revision in enumerate(ordered):
        if revision.acknowledged_at is None:
            continue
        first_day = revision.acknowledged_at.astimezone(tz).date()
        begin = max(start, localise(datetime.combine(first_day, time(0, 0)), tz))
        until = now
        if index + 1 < len(ordered):
            next_day = ordered[index + 1].revised_at.astimezone(tz).date()
            until = min(until, localise(datetime.combine(next_day, time(0, 0)), tz))
        if revision.ended_at is not None:
            until = min(until, revision.ended_at)
        for at in occurrences(_plan(revision), tz, begin, until + timedelta(microseconds=1)):
            day = at.astimezone(tz).date()
            span = _span(revision, at, tz)
            answer = answers.get((revision.id, day))
            excuse = _excuse(span, excused)
            if answer is not None and answer.result is not CheckInResult.SKIPPED:
                outcome = Outcome(answer.result.value)
            elif excuse is not None:
                outcome = Outcome.EXCUSED
            elif answer is not None:
                outcome = Outcome.SKIPPED
            else:
                outcome = Outcome.DUE if now < span[1] else Outcome.MISSED
            session = answer.session_id if answer is not None else None
            kept_excuse = excuse if outcome is Outcome.EXCUSED else None
            found.append(
                Slot(revision.id, revision.revision, at, day, outcome, kept_excuse, session)
            )
    return found


def summarise(found: Sequence[Slot]) -> Compliance:
    """Return the counts and the rate; excused and due occurrences do not count against it."""
    count = {o: sum(1 for s in found if s.outcome is o) for o in Outcome}
    done, partly = count[Outcome.DONE], count[Outcome.PARTLY]
    judged = done + partly + count[Outcome.SKIPPED] + count[Outcome.MISSED]
    return Compliance(
        done=done,
        partly=partly,
        skipped=count[Outcome.SKIPPED],
        missed=count[Outcome.MISSED],
        excused=count[Outcome.EXCUSED],
        due=count[Outcome.DUE],
        rate=round((done + partly / 2) / judged, 3) if judged else None,
    )
