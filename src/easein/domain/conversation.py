"""The guided conversation before training together: questions, answers, and the comparison.

Each person answers privately; only once both have submitted do both see the
two sets of answers side by side, with the differences marked. The questions
follow the guide's topic "conversation" (content/guide/05-conversation.md).
Question ids are stable: answers are stored under them, so a question's wording
may change but its id and the meaning of its option ids may not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.pairing import Role

MAX_TEXT = 2000


class AnswerType(StrEnum):
    ONE = "one"  # one of the options
    MANY = "many"  # any of the options (a set)
    SCALE = "scale"  # a whole number 0..10
    TEXT = "text"  # free text, at most MAX_TEXT characters


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    prompt: str
    answer_type: AnswerType
    options: tuple[tuple[str, str], ...] = ()  # (stable option id, label)
    dynamic_only: bool = False  # asked when training is part of a power exchange


def _q(id: str, topic: str, prompt: str, kind: AnswerType, *options: str, **kw: bool) -> Question:
    pairs = tuple((o.split("=", 1)[0], o.split("=", 1)[1]) for o in options)
    return Question(id, topic, prompt, kind, pairs, **kw)


ONE, MANY, SCALE, TEXT = AnswerType.ONE, AnswerType.MANY, AnswerType.SCALE, AnswerType.TEXT
# fmt: off
QUESTIONS: tuple[Question, ...] = (
    _q("wants", "wants", "What do you want from it?", MANY,
       "pleasure=Pleasure", "taboo=The taboo", "fetish=A fetish",
       "control=Control or power exchange", "variety=Variety"),
    _q("wants_more", "wants", "Anything else you want, in your own words?", TEXT),
    _q("touching", "comfort", "How comfortable are you with touching the anus?", ONE,
       "bare=With bare fingers", "gloves=With gloves", "toys_only=Only with toys",
       "not_yet=Not yet"),
    _q("faeces", "comfort", "How comfortable are you with possible contact with faeces "
       "(0 not at all, 10 completely)?", SCALE),
    _q("ick", "comfort", "What puts you off (the 'ick'), and could that change?", TEXT),
    _q("mess_prevention", "mess", "What will you do to reduce mess?", MANY,
       "bathroom=Bathroom first", "douche=Douche or enema", "gloves=Gloves",
       "condoms=Condoms on toys", "towel=A towel underneath", "wipes=Wipes at hand"),
    _q("mess_reaction", "mess", "If there is mess, how should the other react and clean up?",
       TEXT),
    _q("mess_then", "mess", "After a mess, what then?", ONE,
       "continue=Clean up and continue", "switch=Switch to something else",
       "stop=Stop for today", "ask=Decide together at the time"),
    _q("dynamic_fit", "dynamic", "How does training fit your dynamic?", ONE,
       "rule=A standing rule", "task=A task", "reward=A reward", "discipline=A discipline",
       "not_part=It is not part of the dynamic", dynamic_only=True),
    _q("frequency", "dynamic", "How often is training expected?", ONE,
       "daily=Every day", "few_weekly=A few times a week", "weekly=About once a week",
       "occasionally=Now and then"),
    _q("form", "dynamic", "What form does it take?", ONE,
       "solo_schedule=Solo training on a set schedule", "play=Play sessions together",
       "both=Both"),
    _q("goal", "goal", "What is the goal?", ONE,
       "size=A target size", "wear=A wear routine", "activity=An activity",
       "pleasure=More pleasure and variety"),
    _q("goal_words", "goal", "The goal in your own words", TEXT),
    _q("reports", "communication", "What should be shared after a session?", ONE,
       "nothing=Nothing", "summary=Done or not, and the state",
       "full=Full reports", "full_with_notes=Full reports with notes"),
)
# fmt: on
BY_ID: Mapping[str, Question] = {q.id: q for q in QUESTIONS}

AnswerValue = str | int | frozenset[str]


def check_answer(question_id: str, value: object) -> AnswerValue | None:
    """Return the answer normalised for its question (None: left unanswered), else raise."""
    question = BY_ID.get(question_id)
    if question is None:
        raise NotFound(f"no question {question_id!r}", field="question")
    field = f"answers.{question_id}"
    options = {o for o, _ in question.options}
    if value is None or value == "":
        return None
    if question.answer_type is AnswerType.SCALE:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise InvalidInput(f"{field} is a whole number from 0 to 10", field=field)
        return value
    if question.answer_type is AnswerType.TEXT:
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise InvalidInput(f"{field} is text of at most {MAX_TEXT} characters", field=field)
        return value.strip() or None
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, set | frozenset | list | tuple):
        raise InvalidInput(f"{field}: choose from {', '.join(sorted(options))}", field=field)
    chosen = frozenset(c for c in value if isinstance(c, str) and c in options)
    if len(chosen) != len(value) and not all(isinstance(c, str) and c in options for c in value):
        raise InvalidInput(f"{field}: choose from {', '.join(sorted(options))}", field=field)
    if question.answer_type is AnswerType.ONE:
        if len(chosen) != 1:
            raise InvalidInput(f"{field}: choose one of {', '.join(sorted(options))}", field=field)
        return next(iter(chosen))
    return chosen or None


@dataclass(frozen=True)
class AnswerSheet:
    """One person's answers, private until both have submitted."""

    person_id: int
    role: Role
    answers: Mapping[str, AnswerValue]
    submitted_at: datetime | None = None


def answer_sheet(
    person_id: int, role: Role, raw: Mapping[str, object], submitted_at: datetime | None = None
) -> AnswerSheet:
    """Return a sheet of checked answers; unanswered questions are left out."""
    checked = {qid: check_answer(qid, value) for qid, value in raw.items()}
    kept = {qid: value for qid, value in checked.items() if value is not None}
    return AnswerSheet(person_id, role, kept, submitted_at)


class Match(StrEnum):
    SAME = "same"
    PARTLY = "partly"  # many-choice answers that overlap without being equal
    DIFFERENT = "different"
    OPEN = "open"  # free text: read both, the app cannot judge
    UNANSWERED = "unanswered"  # one or both left it out


@dataclass(frozen=True)
class Row:
    """One question side by side; `differs` is what the screen highlights."""

    question: Question
    trainee: AnswerValue | None
    partner: AnswerValue | None
    match: Match

    @property
    def differs(self) -> bool:
        return self.match in {Match.PARTLY, Match.DIFFERENT, Match.UNANSWERED}


def _match(question: Question, a: AnswerValue | None, b: AnswerValue | None) -> Match:
    if a is None or b is None:
        return Match.SAME if a is None and b is None else Match.UNANSWERED
    if question.answer_type is AnswerType.TEXT:
        return Match.SAME if str(a).casefold() == str(b).casefold() else Match.OPEN
    if a == b:
        return Match.SAME
    if isinstance(a, frozenset) and isinstance(b, frozenset) and a & b:
        return Match.PARTLY
    return Match.DIFFERENT


def compare(first: AnswerSheet, second: AnswerSheet) -> tuple[Row, ...]:
    """Return every question with both answers side by side, trainee first.

    Refused until both have submitted: answers stay private until then.
    """
    if {first.role, second.role} != {Role.TRAINEE, Role.PARTNER}:
        raise InvalidInput("compare one trainee's and one partner's answers", field="answers")
    if first.submitted_at is None or second.submitted_at is None:
        raise Conflict(
            "the answers are shown side by side once both of you have submitted yours",
            field="answers",
            code="answers_pending",
        )
    trainee, partner = (first, second) if first.role is Role.TRAINEE else (second, first)
    return tuple(
        Row(q, trainee.answers.get(q.id), partner.answers.get(q.id), _match(q, a, b))
        for q in QUESTIONS
        for a, b in [(trainee.answers.get(q.id), partner.answers.get(q.id))]
    )
