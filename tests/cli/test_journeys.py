"""The safety journeys, end to end through the CLI, with the injected clock and `--at` times.

The trainee lives in Europe/Berlin (UTC+1 in March 2026, before the change on
29 March). The ladder: finger 15 mm, small 20, medium 23, large 26, and a
25 mm item without a base that must never be used.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.cli.conftest import Trainee, local, log_session
from tests.conftest import FakeClock


def status(trainee: Trainee) -> dict[str, Any]:
    result = trainee.cli("status", "--json")
    assert result.code == 0, result.err
    return result.json()


def rules_of(doc: dict[str, Any]) -> list[str]:
    return [r["rule"] for r in doc["reasons"]]


def export(trainee: Trainee) -> str:
    result = trainee.cli("export", "--format", "json")
    assert result.code == 0, result.err
    return result.out


def earn_small(trainee: Trainee, clock: FakeClock) -> list[dict[str, Any]]:
    """Three comfortable sessions with the small plug over eight days (2-9 March)."""
    return [
        log_session(trainee.cli, clock, at, "finger", "small")
        for at in ("2026-03-02 21:00", "2026-03-05 21:00", "2026-03-09 21:00")
    ]


def earn_small_then_medium(trainee: Trainee, clock: FakeClock) -> dict[str, Any]:
    """Earn the small plug, then step up to the medium one on 10 March."""
    earn_small(trainee, clock)
    return log_session(trainee.cli, clock, "2026-03-10 21:00", "small", "medium")


# Advancing


def test_three_comfortable_sessions_over_a_week_at_the_earned_size_recommend_the_next_rung(
    trainee: Trainee, clock: FakeClock
) -> None:
    earn_small(trainee, clock)

    doc = status(trainee)

    assert doc["state"] == "ready"
    rec = doc["recommendation"]
    assert rec["action"] == "advance"
    assert rec["item"]["name"] == "medium"
    assert rec["item"]["diameter_mm"] == 23.0
    assert "3 comfortable sessions over 8 days" in rec["why"]


def test_three_comfortable_sessions_within_less_than_a_week_only_hold(
    trainee: Trainee, clock: FakeClock
) -> None:
    for at in ("2026-03-02 21:00", "2026-03-04 21:00", "2026-03-07 21:00"):
        log_session(trainee.cli, clock, at, "small")

    rec = status(trainee)["recommendation"]

    assert rec["action"] == "hold"
    assert rec["item"]["name"] == "small"
    assert "3 of 3 comfortable sessions" in rec["why"]
    assert "spread over 7 days (from Sun 08 Mar)" in rec["why"]


def test_stepping_up_after_qualifying_earns_the_next_rung(
    trainee: Trainee, clock: FakeClock
) -> None:
    earn_small_then_medium(trainee, clock)

    ladder = trainee.cli("ladder", "--json").json()

    assert (ladder["earned"], ladder["next"]) == (23.0, 26.0)
    rec = status(trainee)["recommendation"]
    assert (rec["action"], rec["item"]["name"]) == ("hold", "medium")
    assert "1 of 3" in rec["why"]


def test_a_size_used_before_it_is_earned_does_not_count_toward_progress(
    trainee: Trainee, clock: FakeClock
) -> None:
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small")
    ahead = log_session(trainee.cli, clock, "2026-03-04 21:00", "large")

    doc = status(trainee)

    assert trainee.cli("ladder", "--json").json()["earned"] == 20.0
    reason = next(r for r in doc["reasons"] if r["rule"] == "progression.ahead_of_plan")
    assert reason["session_id"] == ahead["id"]
    assert doc["recommendation"]["item"]["name"] == "small"


def test_a_stopped_session_resets_the_count_toward_advancing(
    trainee: Trainee, clock: FakeClock
) -> None:
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small")
    log_session(trainee.cli, clock, "2026-03-05 21:00", "small")
    stopped = log_session(
        trainee.cli, clock, "2026-03-07 21:00", "small", extra=("--outcome", "stopped")
    )
    assert stopped["outcome"] == "stopped"
    assert "progression.not_completed" in rules_of(status(trainee))
    log_session(trainee.cli, clock, "2026-03-09 21:00", "small")

    rec = status(trainee)["recommendation"]

    # Without the stopped session, 2, 5 and 9 March would have qualified.
    assert rec["action"] == "hold"
    assert "1 of 3 comfortable sessions" in rec["why"]


def test_a_failed_session_counts_against_advancing_too(trainee: Trainee, clock: FakeClock) -> None:
    earn_small(trainee, clock)
    log_session(trainee.cli, clock, "2026-03-10 21:00", "small", extra=("--outcome", "failed"))

    doc = status(trainee)

    assert doc["recommendation"]["action"] == "hold"
    assert "0 of 3" in doc["recommendation"]["why"]
    assert "progression.not_completed" in rules_of(doc)


# Bleeding and rest


def test_spotting_puts_the_trainee_at_rest_until_three_days_after_the_session(
    trainee: Trainee, clock: FakeClock
) -> None:
    earn_small_then_medium(trainee, clock)
    spotted = log_session(
        trainee.cli, clock, "2026-03-11 21:00", "medium", bleeding="spotting", minutes=20
    )

    doc = status(trainee)

    # Ended 21:20 in Berlin (20:20 UTC) on 11 March; three days later.
    assert doc["state"] == "rest"
    assert doc["until"] == "2026-03-14T20:20:00+00:00"
    reason = next(r for r in doc["reasons"] if r["rule"] == "bleeding.spotting")
    assert reason["session_id"] == spotted["id"]
    assert f"#{spotted['id']}" in reason["message"]
    assert doc["recommendation"]["action"] == "none"
    assert doc["recommendation"]["item"] is None
    assert "Rest until Sat 14 Mar" in doc["recommendation"]["why"]
    human = trainee.cli("status").out
    assert "State: rest until Sat 14 Mar 2026, 21:20" in human
    assert "[bleeding.spotting]" in human


def test_a_rest_lasts_its_full_three_days_then_the_next_session_steps_back_one_rung(
    trainee: Trainee, clock: FakeClock
) -> None:
    earn_small_then_medium(trainee, clock)
    log_session(trainee.cli, clock, "2026-03-11 21:00", "medium", bleeding="spotting")
    until = datetime(2026, 3, 14, 20, 20, tzinfo=UTC)

    clock.now = until - timedelta(minutes=1)
    assert status(trainee)["state"] == "rest"

    clock.now = until + timedelta(minutes=1)
    doc = status(trainee)

    assert doc["state"] == "ready"
    assert doc["until"] is None
    assert doc["recommendation"]["action"] == "step_back"
    assert doc["recommendation"]["item"]["name"] == "small"
    assert doc["recommendation"]["item"]["diameter_mm"] == 20.0


def test_spotting_at_the_first_earned_size_resumes_one_rung_down_after_the_rest(
    trainee: Trainee, clock: FakeClock
) -> None:
    # The trainee came in experienced: the first session, at the large plug, earns it.
    log_session(trainee.cli, clock, "2026-03-02 21:00", "large")
    log_session(trainee.cli, clock, "2026-03-04 21:00", "large", bleeding="spotting")
    clock.now = local("2026-03-08 12:00").astimezone(UTC)

    rec = status(trainee)["recommendation"]

    # The rule's own message promises "then resume one size down": medium, not the finger.
    assert (rec["action"], rec["item"]["name"]) == ("step_back", "medium")


def test_rest_days_are_excused_in_adherence_never_missed(
    trainee: Trainee, clock: FakeClock
) -> None:
    trainee.cli("plan", "add", "nightly", "--schedule", "every night", "--at", "21:00",
                "--starts", "2026-03-02")  # fmt: skip
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small", bleeding="spotting")
    clock.now = local("2026-03-05 23:00").astimezone(UTC)

    adherence = trainee.cli("stats", "--json").json()["adherence"]

    # 2 March done; 3, 4 and 5 March at 21:00 fall in the rest (until 5 March 21:20).
    assert adherence["done"] == 1
    assert adherence["excused"] == 3
    assert adherence["missed"] == 0


# Medical hold


@pytest.mark.parametrize(
    ("extra", "rule"),
    [
        (("--pain", "2", "--bleeding", "lasting"), "medical.bleeding_lasting"),
        (("--pain", "2", "--bleeding", "spotting", "--colour", "dark"), "medical.bleeding_dark"),
        (("--pain", "8", "--bleeding", "none"), "medical.acute_pain"),
        (("--pain", "2", "--bleeding", "spotting", "--sharp"), "medical.acute_pain"),
    ],
    ids=["lasting", "dark", "pain-8", "sharp-with-blood"],
)
def test_serious_signs_put_the_trainee_on_medical_hold_until_explicitly_cleared(
    trainee: Trainee, clock: FakeClock, extra: tuple[str, ...], rule: str
) -> None:
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small")
    clock.now = local("2026-03-04 22:00").astimezone(UTC)
    held = trainee.cli(
        "log", "--at", "2026-03-04 21:00", "--duration", "20m", "--item", "small",
        "--comfort", "3", *extra, "--json",
    )  # fmt: skip
    assert held.code == 0, held.err
    session_id = held.json()["id"]

    doc = status(trainee)
    assert doc["state"] == "medical_hold"
    assert doc["until"] is None
    reason = next(r for r in doc["reasons"] if r["rule"] == rule)
    assert reason["session_id"] == session_id
    assert "doctor" in reason["message"]
    assert doc["recommendation"] == {
        "action": "none",
        "item": None,
        "why": doc["recommendation"]["why"],
    }
    assert "doctor" in doc["recommendation"]["why"]

    # Comfortable sessions logged afterwards, days later, do not lift it.
    log_session(trainee.cli, clock, "2026-03-10 21:00", "finger")
    log_session(trainee.cli, clock, "2026-03-12 21:00", "finger")
    assert status(trainee)["state"] == "medical_hold"

    # Without --yes (and not in a terminal) nothing is lifted, nor recorded.
    before = export(trainee)
    refused = trainee.cli("cleared")
    assert refused.code == 2
    assert refused.err.startswith("error: ")
    assert "--yes" in refused.err
    assert status(trainee)["state"] == "medical_hold"
    assert export(trainee) == before

    cleared = trainee.cli("cleared", "--yes", "--statement", "seen by my GP", "--json")
    assert cleared.code == 0, cleared.err
    assert cleared.json() == {"state": "ready", "cleared": True}
    after = status(trainee)
    assert after["state"] == "ready"
    assert rule not in rules_of(after)


def test_clearing_a_medical_hold_is_recorded_with_the_statement(
    trainee: Trainee, clock: FakeClock
) -> None:
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small", pain=8)

    trainee.cli("cleared", "--yes", "--statement", "seen by my GP")

    acks = trainee.cli("export").json()["acknowledgements"]
    assert [(a["kind"], a["statement"]) for a in acks] == [("medical_clearance", "seen by my GP")]
    assert acks[0]["at"] == clock.now.isoformat()


def test_a_new_serious_session_after_clearance_puts_the_trainee_back_on_hold(
    trainee: Trainee, clock: FakeClock
) -> None:
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small", pain=8)
    trainee.cli("cleared", "--yes")
    assert status(trainee)["state"] == "ready"

    log_session(trainee.cli, clock, "2026-03-06 21:00", "finger", pain=7)

    assert status(trainee)["state"] == "medical_hold"


def test_with_blood_a_cleared_hold_still_leaves_the_rest_to_run_out(
    trainee: Trainee, clock: FakeClock
) -> None:
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small", bleeding="lasting")

    trainee.cli("cleared", "--yes")

    doc = status(trainee)
    assert doc["state"] == "rest"
    assert doc["until"] == "2026-03-05T20:20:00+00:00"


# Pain


def test_sharp_pain_makes_the_next_session_step_back_one_rung(
    trainee: Trainee, clock: FakeClock
) -> None:
    earn_small_then_medium(trainee, clock)
    sharp = log_session(
        trainee.cli, clock, "2026-03-11 21:00", "medium", pain=2, extra=("--sharp",)
    )

    doc = status(trainee)

    assert doc["state"] == "ready"
    assert doc["recommendation"]["action"] == "step_back"
    assert doc["recommendation"]["item"]["name"] == "small"
    reason = next(r for r in doc["reasons"] if r["rule"] == "pain.sharp")
    assert reason["session_id"] == sharp["id"]


@pytest.mark.parametrize(("pain", "action"), [(3, "hold"), (4, "step_back"), (6, "step_back")])
def test_pain_at_or_above_the_limit_of_four_steps_back(
    trainee: Trainee, clock: FakeClock, pain: int, action: str
) -> None:
    earn_small_then_medium(trainee, clock)
    log_session(trainee.cli, clock, "2026-03-11 21:00", "medium", pain=pain)

    doc = status(trainee)

    assert doc["state"] == "ready"
    assert doc["recommendation"]["action"] == action
    assert ("pain.limit" in rules_of(doc)) is (pain >= 4)


def test_after_a_step_back_the_size_is_re_earned_the_same_way(
    trainee: Trainee, clock: FakeClock
) -> None:
    earn_small_then_medium(trainee, clock)
    log_session(trainee.cli, clock, "2026-03-11 21:00", "medium", extra=("--sharp",))
    for at in ("2026-03-12 21:00", "2026-03-15 21:00"):
        log_session(trainee.cli, clock, at, "small")
    assert status(trainee)["recommendation"]["action"] == "hold"

    log_session(trainee.cli, clock, "2026-03-18 21:00", "small")

    rec = status(trainee)["recommendation"]
    assert (rec["action"], rec["item"]["name"]) == ("advance", "medium")


def test_pain_without_fresh_lube_on_reinsertion_adds_a_lube_reminder(
    trainee: Trainee, clock: FakeClock
) -> None:
    logged = log_session(
        trainee.cli, clock, "2026-03-02 21:00", "small", pain=2, extra=("--no-relube",)
    )

    doc = status(trainee)

    reason = next(r for r in doc["reasons"] if r["rule"] == "lube.reapply")
    assert reason["session_id"] == logged["id"]
    assert doc["state"] == "ready"


# Conditions


def test_an_active_condition_pauses_training_until_it_is_cleared(
    trainee: Trainee, clock: FakeClock
) -> None:
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small")
    made = trainee.cli("condition", "set", "haemorrhoids", "itchy since Sunday")
    assert made.code == 0, made.err

    doc = status(trainee)
    assert doc["state"] == "paused"
    assert doc["until"] is None
    reason = next(r for r in doc["reasons"] if r["rule"] == "condition.active")
    assert reason["session_id"] is None
    assert "haemorrhoids: itchy since Sunday" in reason["message"]
    assert doc["recommendation"]["action"] == "none"
    assert doc["recommendation"]["item"] is None

    clock.advance(days=4)
    assert status(trainee)["state"] == "paused"  # no end date: it lasts until cleared
    cleared = trainee.cli("condition", "clear", "haemorrhoids")
    assert cleared.code == 0, cleared.err

    after = status(trainee)
    assert after["state"] == "ready"
    assert "condition.active" not in rules_of(after)


def test_a_medical_hold_outranks_a_pause(trainee: Trainee, clock: FakeClock) -> None:
    trainee.cli("condition", "set", "constipation")
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small", pain=8)

    doc = status(trainee)

    assert doc["state"] == "medical_hold"
    assert {"condition.active", "medical.acute_pain"} <= set(rules_of(doc))


# Items without a base


def test_logging_with_an_item_without_a_base_is_refused_and_writes_nothing(
    trainee: Trainee, clock: FakeClock
) -> None:
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small")
    before = export(trainee)

    refused = trainee.cli(
        "log", "--at", "2026-03-02 21:30", "--duration", "20m", "--item", "small",
        "--item", "no-base", "--pain", "0", "--json",
    )  # fmt: skip

    assert refused.code == 2
    assert refused.out == ""
    assert refused.err_lines == [refused.err.strip()]
    assert refused.err.startswith("error: no-base has no flared base or handle")
    assert "toy.base_required" in refused.err
    assert len(trainee.cli("history", "--json").json()) == 1
    assert export(trainee) == before


def test_the_item_without_a_base_is_never_recommended_even_where_it_would_fill_a_step(
    trainee: Trainee, clock: FakeClock
) -> None:
    trainee.cli("toy", "retire", "large")
    earn_small_then_medium(trainee, clock)
    for at in ("2026-03-13 21:00", "2026-03-17 21:00"):
        log_session(trainee.cli, clock, at, "medium")

    rec = status(trainee)["recommendation"]

    # no-base (25 mm) would be the next size above medium (23 mm); it is not on the ladder.
    assert rec["action"] == "hold"
    assert rec["item"]["name"] == "medium"
    assert "largest item" in rec["why"]
