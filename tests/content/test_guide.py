"""The guide texts: every topic present and in order, searchable, and in step with the code."""

from __future__ import annotations

import re

import pytest

from easein.content import Topic, search, topic, topics
from easein.domain.errors import NotFound
from easein.domain.policy import DEFAULT_POLICY

SLUGS = [
    "basics",
    "safety",
    "bleeding",
    "preparation",
    "conversation",
    "first-session",
    "long-wear",
    "progression",
    "faq",
    "emergency",
]

BLINDJAW_URL = "https://howtocleanyourass.wordpress.com/"

# Words that have no place in the guide: it is frank and adult, never pornographic.
EXPLICIT = [
    "cock",
    "dick",
    "pussy",
    "cum",
    "cumming",
    "slut",
    "whore",
    "fuck",
    "fucking",
    "horny",
    "porn",
    "tight hole",
    "booty",
]

# Kink vocabulary stays in the partner topic: people with a medical reason read the rest.
KINK = ["dominant", "submissive", "d/s", "kink", "fetish", "bdsm", "punish"]


def plain(t: Topic) -> str:
    """Return the topic's text without Markdown emphasis, for phrase checks."""
    return f"{t.title}\n{t.body}".replace("**", "").replace("*", "")


def words(t: Topic) -> str:
    """Return the topic's plain text with runs of whitespace made single spaces."""
    return " ".join(plain(t).split())


def test_guide_has_every_topic_in_reading_order() -> None:
    assert [t.slug for t in topics()] == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_each_topic_has_a_title_and_a_body_of_skimmable_length(slug: str) -> None:
    t = topic(slug)
    assert t.title
    assert not t.title.startswith("#")
    assert not t.body.startswith("# ")
    assert 250 <= len(t.body.split()) <= 700


def test_unknown_topic_is_not_found_and_names_the_choices() -> None:
    with pytest.raises(NotFound) as caught:
        topic("nope")
    assert caught.value.field == "topic"
    assert "unknown topic 'nope'" in caught.value.message
    assert "choose one of " + ", ".join(SLUGS) in caught.value.message


def test_topics_returns_a_fresh_list_each_time() -> None:
    first = topics()
    first.clear()
    assert [t.slug for t in topics()] == SLUGS


def test_search_finds_the_breathing_advice_in_the_first_session() -> None:
    found = search("BREATH")
    assert "first-session" in [t.slug for t, _ in found]
    for _, snippet in found:
        assert "breath" in snippet.lower()
        assert len(snippet) <= 170


def test_search_matches_all_words_and_ranks_by_hits() -> None:
    found = search("emergency department")
    assert found[0][0].slug == "emergency"
    assert "emergency department" in found[0][1].lower()
    for t, _ in found:
        text = words(t).lower()
        assert "emergency" in text
        assert "department" in text


def test_search_returns_nothing_for_a_nonsense_word_or_an_empty_query() -> None:
    assert search("xyzzyplugh") == []
    assert search("breath xyzzyplugh") == []
    assert search("   ") == []


def test_preparation_links_blindjaws_illustrated_guide() -> None:
    body = topic("preparation").body
    assert f"]({BLINDJAW_URL})" in body
    assert "Blindjaw" in body
    assert "How to Clean Your Ass Before Anal Sex" in body


def test_progression_states_every_default_as_the_code_has_it() -> None:
    p = DEFAULT_POLICY
    text = words(topic("progression"))
    expected = [
        f"Pain limit: {p.pain_limit}/10",
        f"below {p.pain_limit}/10",
        f"{p.sessions_to_advance} comfortable sessions",
        f"at least {p.min_days_at_size} days",
        f"at most {p.max_step_percent:g}% larger in diameter",
        f"rest for {p.rest_days_after_spotting} days, then one size down",
        f"{p.acute_pain}/10 or more, or sharp pain together with bleeding",
        "10-20 minutes",
        "pressure but not pain",
        "sizes to look for",
        "more than a few minutes",
        "dark blood",
        "one size down",
        "counts against advancing",
        "Stretching is not permanent",
        "easein cleared",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == []


def test_bleeding_topic_rests_for_the_policy_days_then_goes_down_a_size() -> None:
    text = words(topic("bleeding"))
    assert f"rests you for {DEFAULT_POLICY.rest_days_after_spotting} days" in text
    assert "one size down" in text
    assert "easein cleared" in text
    assert "easein condition set" in text


def test_emergency_topic_says_bear_down_enema_and_emergency_department() -> None:
    text = words(topic("emergency")).lower()
    for phrase in [
        "bear down",
        "enema",
        "emergency department",
        "5 minutes",
        "do not wait it out",
        "easein emergency",
    ]:
        assert phrase in text


@pytest.mark.parametrize("slug", SLUGS)
def test_no_topic_uses_explicit_wording(slug: str) -> None:
    text = words(topic(slug)).lower()
    found = [w for w in EXPLICIT if re.search(rf"\b{re.escape(w)}\b", text)]
    assert found == []


@pytest.mark.parametrize("slug", [s for s in SLUGS if s != "conversation"])
def test_kink_vocabulary_stays_out_of_the_general_topics(slug: str) -> None:
    text = words(topic(slug)).lower()
    found = [w for w in KINK if re.search(rf"(?<!\w){re.escape(w)}", text)]
    assert found == []
