"""The guided conversation: stable questions, checked answers, a side-by-side comparison."""

from __future__ import annotations

import pytest

from easein.domain.conversation import (
    BY_ID,
    QUESTIONS,
    AnswerType,
    Match,
    answer_sheet,
    check_answer,
    compare,
)
from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.pairing import Role
from tests.domain.factories import T0
from tests.domain.together import PARTNER, TRAINEE

# The ids answers are stored under: changing one loses people's answers.
STABLE_IDS = [
    "wants", "wants_more", "touching", "faeces", "ick", "mess_prevention", "mess_reaction",
    "mess_then", "dynamic_fit", "frequency", "form", "goal", "goal_words", "reports",
]  # fmt: skip


def test_question_ids_are_stable_and_unique():
    assert [q.id for q in QUESTIONS] == STABLE_IDS


def test_the_conversation_covers_every_topic_of_the_guide():
    topics = {q.topic for q in QUESTIONS}
    assert topics == {"wants", "comfort", "mess", "dynamic", "goal", "communication"}
    assert {o for o, _ in BY_ID["wants"].options} == {
        "pleasure", "taboo", "fetish", "control", "variety",
    }  # fmt: skip
    assert BY_ID["dynamic_fit"].dynamic_only


@pytest.mark.parametrize(
    ("question", "value", "expected"),
    [
        ("wants", ["pleasure", "control"], frozenset({"pleasure", "control"})),
        ("wants", "taboo", frozenset({"taboo"})),
        ("touching", "gloves", "gloves"),
        ("faeces", 4, 4),
        ("ick", "  the smell  ", "the smell"),
        ("ick", "", None),
    ],
    ids=["many", "many_from_one", "one", "scale", "text_trimmed", "empty_is_unanswered"],
)
def test_check_answer_normalises(question, value, expected):
    assert check_answer(question, value) == expected


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("wants", ["pleasure", "nope"]),
        ("touching", ["bare", "gloves"]),
        ("faeces", 11),
        ("faeces", True),
        ("ick", "x" * 2001),
        ("wants", [["pleasure"]]),
    ],
    ids=["unknown_option", "one_means_one", "scale_0_10", "no_bool", "text_length", "nested"],
)
def test_check_answer_refuses(question, value):
    with pytest.raises(InvalidInput):
        check_answer(question, value)


def test_an_unknown_question_is_not_found():
    with pytest.raises(NotFound):
        check_answer("favourite_colour", "blue")


def _sheets(submitted=True):
    at = T0 if submitted else None
    trainee = answer_sheet(
        TRAINEE,
        Role.TRAINEE,
        {"wants": ["pleasure", "control"], "touching": "gloves", "faeces": 3, "ick": "smell",
         "form": "both", "goal": "size"},
        at,
    )  # fmt: skip
    partner = answer_sheet(
        PARTNER,
        Role.PARTNER,
        {"wants": ["control"], "touching": "gloves", "faeces": 8, "ick": "nothing much",
         "goal": "size"},
        at,
    )  # fmt: skip
    return trainee, partner


def test_answers_stay_private_until_both_submitted():
    trainee, partner = _sheets(submitted=False)
    with pytest.raises(Conflict) as raised:
        compare(trainee, partner)
    assert raised.value.code == "answers_pending"


def test_the_comparison_marks_the_differences():
    trainee, partner = _sheets()
    rows = {row.question.id: row for row in compare(partner, trainee)}  # any order in
    assert [r.question.id for r in compare(trainee, partner)] == STABLE_IDS
    assert rows["wants"].match is Match.PARTLY and rows["wants"].differs
    assert rows["touching"].match is Match.SAME and not rows["touching"].differs
    assert rows["faeces"].match is Match.DIFFERENT
    assert rows["ick"].match is Match.OPEN
    assert rows["form"].match is Match.UNANSWERED and rows["form"].differs
    assert rows["mess_then"].match is Match.SAME  # neither answered
    assert (rows["faeces"].trainee, rows["faeces"].partner) == (3, 8)


def test_every_answer_type_has_questions():
    assert {q.answer_type for q in QUESTIONS} == set(AnswerType)
