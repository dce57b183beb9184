"""Each command's happy path, checked against the documented scriptable contract."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from easein.cli import guide as guide_cli
from tests.cli.conftest import Cli, Trainee, local, log_session
from tests.conftest import FakeClock


def test_init_creates_the_profile_with_its_time_zone_and_units(cli: Cli) -> None:
    made = cli("init", "--adult", "--timezone", "Europe/Berlin", "--units", "in", "--json")

    assert made.code == 0, made.err
    assert made.json()["timezone"] == "Europe/Berlin"
    assert made.json()["units"] == "in"
    shown = cli("profile", "--json").json()
    assert shown == {"id": made.json()["id"], "timezone": "Europe/Berlin", "units": "in"}


def test_profile_changes_the_time_zone_and_units(trainee: Trainee) -> None:
    changed = trainee.cli("profile", "--timezone", "America/New_York", "--units", "in", "--json")

    assert changed.code == 0, changed.err
    assert changed.json()["timezone"] == "America/New_York"
    assert trainee.cli("profile").out.strip() == "Time zone America/New_York; sizes in in."


def test_toy_add_json_prints_the_created_record_with_its_id(trainee: Trainee) -> None:
    made = trainee.cli(
        "toy", "add", "glass plug", "--kind", "plug", "--diameter", "32mm", "--length", "10cm",
        "--base", "flared", "--neck", "15mm", "--material", "glass", "--json",
    )  # fmt: skip

    assert made.code == 0, made.err
    toy = made.json()
    assert isinstance(toy["id"], int)
    assert toy["id"] not in trainee.items.values()
    assert toy["name"] == "glass plug"
    assert toy["kind"] == "plug"
    assert toy["diameter_mm"] == 32.0
    assert toy["length_mm"] == 100.0
    assert toy["neck_mm"] == 15.0
    assert toy["base"] == "flared"
    assert toy["material"] == "glass"
    assert toy["usable"] is True
    listed = trainee.cli("toy", "list", "--json").json()
    assert toy in listed


@pytest.mark.parametrize(
    ("flag", "text", "mm"),
    [
        ("--diameter", "32mm", 32.0),
        ("--diameter", "3.2cm", 32.0),
        ("--diameter", "1.25in", 31.8),
        ("--diameter", '1.25"', 31.8),
        ("--diameter", "32", 32.0),  # a bare number is in the profile's unit (mm)
        ("--circumference", "10cm", 31.8),
        ("--circumference", "100mm", 31.8),
    ],
)
def test_sizes_in_mm_cm_in_or_as_a_circumference_are_stored_in_mm(
    trainee: Trainee, flag: str, text: str, mm: float
) -> None:
    made = trainee.cli(
        "toy", "add", "new", "--kind", "plug", flag, text, "--base", "flared", "--json"
    )

    assert made.code == 0, made.err
    assert made.json()["diameter_mm"] == pytest.approx(mm, abs=0.05)
    stored = [t for t in trainee.cli("toy", "list", "--json").json() if t["name"] == "new"]
    assert stored[0]["diameter_mm"] == pytest.approx(mm, abs=0.05)


def test_a_profile_in_inches_reads_and_shows_sizes_in_inches(cli: Cli) -> None:
    cli("init", "--adult", "--timezone", "Europe/Berlin", "--units", "in")

    bare = cli("toy", "add", "plug", "--kind", "plug", "--diameter", "1", "--base", "flared")
    assert bare.code == 0, bare.err
    assert "1.00 in" in bare.out
    assert "mm" not in bare.out

    listed = cli("toy", "list")
    assert "1.00 in" in listed.out
    assert cli("toy", "list", "--json").json()[0]["diameter_mm"] == 25.4
    assert "1.00 in" in cli("ladder").out


def test_toy_list_shows_items_smallest_first_and_marks_the_one_without_a_base(
    trainee: Trainee,
) -> None:
    listed = trainee.cli("toy", "list", "--json").json()

    assert [t["name"] for t in listed] == ["finger", "small", "medium", "no-base", "large"]
    by_name = {t["name"]: t for t in listed}
    assert by_name["finger"]["base"] == "body"
    assert by_name["no-base"]["usable"] is False
    assert "toy.base_required" in by_name["no-base"]["refusal"]
    assert all(t["usable"] for name, t in by_name.items() if name != "no-base")
    human = trainee.cli("toy", "list").out
    assert "not for anal use" in human


def test_adding_an_item_without_a_base_stores_it_and_says_it_is_never_used(
    trainee: Trainee,
) -> None:
    made = trainee.cli(
        "toy", "add", "wand", "--kind", "wand", "--diameter", "30mm", "--base", "none"
    )

    assert made.code == 0, made.err
    assert "toy.base_required" in made.out
    assert "wand" not in str(trainee.cli("ladder", "--json").json()["rungs"])


def test_toy_edit_changes_an_item_but_past_sessions_keep_their_size(
    trainee: Trainee, clock: FakeClock
) -> None:
    logged = log_session(trainee.cli, clock, "2026-03-01 21:00", "small")

    edited = trainee.cli(
        "toy", "edit", "small", "--name", "small plug", "--diameter", "21mm", "--json"
    )

    assert edited.code == 0, edited.err
    assert edited.json()["name"] == "small plug"
    assert edited.json()["diameter_mm"] == 21.0
    past = trainee.cli("history", "--json").json()
    assert past[0]["id"] == logged["id"]
    assert past[0]["reached"]["diameter_mm"] == 20.0
    assert past[0]["reached"]["name"] == "small plug"


def test_toy_retire_takes_an_item_off_the_ladder_but_keeps_it_listed_with_all(
    trainee: Trainee,
) -> None:
    retired = trainee.cli("toy", "retire", "medium", "--json")

    assert retired.code == 0, retired.err
    assert retired.json()["retired"] is True
    rungs = trainee.cli("ladder", "--json").json()["rungs"]
    assert [r["diameter_mm"] for r in rungs] == [15.0, 20.0, 26.0]
    assert "medium" not in [t["name"] for t in trainee.cli("toy", "list", "--json").json()]
    every = trainee.cli("toy", "list", "--all", "--json").json()
    assert [t["retired"] for t in every if t["name"] == "medium"] == [True]

    back = trainee.cli("toy", "edit", "medium", "--unretire", "--json")
    assert back.json()["retired"] is False
    assert 23.0 in [r["diameter_mm"] for r in trainee.cli("ladder", "--json").json()["rungs"]]


def test_ladder_shows_the_earned_rung_the_next_rung_and_no_item_without_a_base(
    trainee: Trainee, clock: FakeClock
) -> None:
    log_session(trainee.cli, clock, "2026-03-01 21:00", "small")

    ladder = trainee.cli("ladder", "--json").json()

    assert ladder["earned_mm"] == 20.0
    assert ladder["earned"] == 20.0
    assert ladder["next"] == 23.0
    assert ladder["next_within_step"] is True
    assert [r["items"] for r in ladder["rungs"]] == [["finger"], ["small"], ["medium"], ["large"]]
    assert [r["diameter_mm"] for r in ladder["rungs"] if r["earned"]] == [20.0]
    assert [r["diameter_mm"] for r in ladder["rungs"] if r["next"]] == [23.0]
    human = trainee.cli("ladder").out.splitlines()
    assert any("small" in line and "● earned" in line for line in human)
    assert any("medium" in line and "○ next" in line for line in human)


def test_ladder_flags_a_gap_larger_than_the_allowed_step_with_sizes_to_look_for(
    trainee: Trainee,
) -> None:
    trainee.cli("toy", "add", "huge", "--kind", "plug", "--diameter", "40mm", "--base", "flared")

    gaps = trainee.cli("ladder", "--json").json()["gaps"]

    gap = next(g for g in gaps if g["below_mm"] == 26.0)
    assert gap["above_mm"] == 40.0
    assert gap["look_for_mm"] == [29.9, 34.4]
    # every suggested size is at most 15% (+ the ruler tolerance) above the one before
    steps = [26.0, *gap["look_for_mm"], 40.0]
    assert all(b <= a * 1.15 + 0.5 for a, b in itertools.pairwise(steps))
    assert "Gap: 26 mm → 40 mm" in trainee.cli("ladder").out


def test_log_json_prints_the_created_session_with_its_id_and_the_largest_item_reached(
    trainee: Trainee, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    logged = trainee.cli(
        "log", "--kind", "stretch", "--at", "2026-03-01 21:30", "--duration", "25m",
        "--item", "finger", "--item", "small", "--pain", "2", "--comfort", "6",
        "--bleeding", "none", "--outcome", "completed", "--notes", "went well", "--json",
    )  # fmt: skip

    assert logged.code == 0, logged.err
    record = logged.json()
    assert isinstance(record["id"], int)
    assert record["started_at"] == "2026-03-01T20:30:00+00:00"  # 21:30 in Berlin (CET)
    assert record["duration_min"] == 25.0
    assert [i["name"] for i in record["items"]] == ["finger", "small"]
    assert record["reached"] == {"id": trainee.items["small"], "name": "small", "diameter_mm": 20.0}
    assert (record["pain"], record["comfort"], record["bleeding"]) == (2, 6, "none")
    assert record["notes"] == "went well"
    assert trainee.cli("history", "--json").json() == [record]


def test_log_without_at_starts_the_session_its_duration_before_now(
    trainee: Trainee, clock: FakeClock
) -> None:
    record = trainee.cli(
        "log", "--duration", "30m", "--item", "small", "--pain", "0", "--json"
    ).json()

    assert record["started_at"] == "2026-03-02T19:30:00+00:00"


def test_log_at_a_bare_time_means_today_in_the_profiles_time_zone(trainee: Trainee) -> None:
    # Now is Mon 2 Mar 2026, 21:00 in Berlin (20:00 UTC).
    record = trainee.cli(
        "log", "--at", "19:15", "--duration", "20m", "--item", "small", "--pain", "0", "--json"
    ).json()

    assert record["started_at"] == "2026-03-02T18:15:00+00:00"


def test_log_prints_a_one_line_summary_and_the_new_state_for_a_person(trainee: Trainee) -> None:
    logged = trainee.cli("log", "--duration", "20m", "--item", "small", "--pain", "1")

    assert logged.code == 0, logged.err
    assert logged.out.startswith("Logged session #")
    assert "small (20 mm)" in logged.out
    assert "Now: ready." in logged.out


def test_status_json_has_exactly_the_documented_keys(trainee: Trainee, clock: FakeClock) -> None:
    log_session(trainee.cli, clock, "2026-03-01 21:00", "small")

    status = trainee.cli("status", "--json")

    assert status.code == 0, status.err
    doc = status.json()
    assert set(doc) == {"state", "until", "reasons", "recommendation"}
    assert doc["state"] == "ready"
    assert doc["until"] is None
    assert doc["reasons"] == []
    rec = doc["recommendation"]
    assert set(rec) == {"action", "item", "why"}
    assert rec["action"] == "hold"
    assert set(rec["item"]) <= {"id", "name", "diameter_mm"}
    assert {"name", "diameter_mm"} <= set(rec["item"])
    assert rec["item"]["name"] == "small"
    assert rec["item"]["diameter_mm"] == 20.0
    assert "1 of 3" in rec["why"]


def test_status_of_a_new_trainee_says_to_start_with_the_smallest_item(trainee: Trainee) -> None:
    doc = trainee.cli("status", "--json").json()

    assert doc["state"] == "ready"
    assert doc["recommendation"]["action"] == "hold"
    assert doc["recommendation"]["item"]["name"] == "finger"
    human = trainee.cli("status").out
    assert "State: ready" in human
    assert "Next: hold" in human


def test_history_filters_by_date_range_and_kind(trainee: Trainee, clock: FakeClock) -> None:
    first = log_session(trainee.cli, clock, "2026-03-01 21:00", "small")
    wear = log_session(trainee.cli, clock, "2026-03-03 22:00", "small", extra=("--kind", "wear"))
    later = log_session(trainee.cli, clock, "2026-03-05 21:00", "small")

    def ids(*args: str) -> list[int]:
        result = trainee.cli("history", *args, "--json")
        assert result.code == 0, result.err
        return [s["id"] for s in result.json()]

    assert ids() == [later["id"], wear["id"], first["id"]]  # newest first
    assert ids("--from", "2026-03-02") == [later["id"], wear["id"]]
    assert ids("--to", "2026-03-03") == [wear["id"], first["id"]]  # --to includes that day
    assert ids("--from", "2026-03-02", "--to", "2026-03-04") == [wear["id"]]
    assert ids("--kind", "wear") == [wear["id"]]
    assert ids("--kind", "stretch", "--from", "2026-03-02") == [later["id"]]
    assert ids("--limit", "1") == [later["id"]]
    assert ids("--kind", "partnered") == []


def test_history_shows_a_table_in_local_time(trainee: Trainee, clock: FakeClock) -> None:
    log_session(trainee.cli, clock, "2026-03-01 21:00", "small")

    table = trainee.cli("history").out

    assert "2026-03-01 21:00" in table
    assert "small 20 mm" in table
    assert "No sessions" in trainee.cli("history", "--kind", "wear").out


def test_stats_json_counts_sessions_and_wear_hours_per_local_week(
    trainee: Trainee, clock: FakeClock
) -> None:
    # Mon 2 Mar and Sun 8 Mar 2026 are the same ISO week; Mon 9 Mar starts the next.
    log_session(trainee.cli, clock, "2026-03-02 20:00", "small")
    log_session(
        trainee.cli, clock, "2026-03-04 22:00", "small", minutes=120, extra=("--kind", "wear")
    )
    log_session(
        trainee.cli, clock, "2026-03-08 23:30", "small", minutes=90, extra=("--kind", "wear")
    )
    log_session(trainee.cli, clock, "2026-03-09 20:00", "small")

    stats = trainee.cli("stats", "--json")

    assert stats.code == 0, stats.err
    doc = stats.json()
    assert doc["sessions"] == 4
    assert doc["wear_hours"] == 3.5
    weeks = {w["week"]: w for w in doc["weeks"]}
    assert set(weeks) == {"2026-03-02", "2026-03-09"}
    assert (weeks["2026-03-02"]["sessions"], weeks["2026-03-02"]["wear"]) == (3, 2)
    assert weeks["2026-03-02"]["wear_hours"] == 3.5
    assert weeks["2026-03-02"]["stretch"] == 1
    assert (weeks["2026-03-09"]["sessions"], weeks["2026-03-09"]["wear_hours"]) == (1, 0)
    assert doc["earned"][0] == {"day": "2026-03-02", "earned_mm": 20.0}
    assert doc["adherence"] is None
    human = trainee.cli("stats").out
    assert "4 sessions, 3.5 hours of wear" in human


def test_plan_add_list_and_end(trainee: Trainee) -> None:
    made = trainee.cli(
        "plan", "add", "evening stretch", "--kind", "stretch", "--schedule", "mon,wed,fri",
        "--at", "21:30", "--duration", "20m", "--json",
    )  # fmt: skip

    assert made.code == 0, made.err
    plan = made.json()
    assert plan["name"] == "evening stretch"
    assert plan["rrule"] == "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    assert (plan["at"], plan["duration_min"], plan["ended_on"]) == ("21:30", 20.0, None)
    assert plan["starts_on"] == "2026-03-02"  # today, in Berlin
    assert trainee.cli("plan", "list", "--json").json() == [plan]
    listed = trainee.cli("plan", "list").out
    assert "evening stretch" in listed
    assert "(next " in listed

    ended = trainee.cli("plan", "end", "evening stretch", "--json")
    assert ended.code == 0, ended.err
    assert ended.json()["ended_on"] == "2026-03-02"
    assert trainee.cli("plan", "list", "--json").json() == []
    assert [p["id"] for p in trainee.cli("plan", "list", "--all", "--json").json()] == [plan["id"]]


def test_plan_list_shows_a_later_occurrence_today_as_the_next_one(trainee: Trainee) -> None:
    # Now is Mon 2 Mar, 21:00 in Berlin; the plan's Monday occurrence is at 21:30.
    trainee.cli("plan", "add", "evening", "--schedule", "mon,wed,fri", "--at", "21:30")

    listed = trainee.cli("plan", "list").out

    assert "next Mon 02 Mar 21:30" in listed


def test_stats_report_adherence_once_there_is_a_plan(trainee: Trainee, clock: FakeClock) -> None:
    trainee.cli("plan", "add", "nightly", "--schedule", "every night", "--starts", "2026-03-02")
    log_session(trainee.cli, clock, "2026-03-02 21:00", "small")
    clock.now = local("2026-03-04 23:59").astimezone(UTC)

    adherence = trainee.cli("stats", "--json").json()["adherence"]

    # Mon 2 Mar done, Tue 3 Mar missed, Wed 4 Mar still due today.
    assert (adherence["done"], adherence["missed"], adherence["due"]) == (1, 1, 1)
    assert adherence["excused"] == 0


def test_condition_set_list_and_clear(trainee: Trainee, clock: FakeClock) -> None:
    made = trainee.cli("condition", "set", "haemorrhoids", "flared up", "--json")

    assert made.code == 0, made.err
    assert made.json()["condition"] == "haemorrhoids"
    assert made.json()["note"] == "flared up"
    assert made.json()["cleared_at"] is None
    clock.advance(days=2)
    cleared = trainee.cli("condition", "clear", "hemorrhoids", "--json")  # the US spelling too
    assert cleared.code == 0, cleared.err
    assert cleared.json()["cleared_at"] is not None
    listed = trainee.cli("condition", "list", "--json").json()
    assert [(c["condition"], c["cleared_at"] is not None) for c in listed] == [
        ("haemorrhoids", True)
    ]
    assert (
        "haemorrhoids: since 2026-03-02, cleared 2026-03-04" in trainee.cli("condition", "list").out
    )


def test_guide_without_a_topic_lists_every_topic(cli: Cli) -> None:
    listed = cli("guide")

    assert listed.code == 0
    for slug in ("basics", "safety", "bleeding", "preparation", "conversation",
                 "first-session", "long-wear", "progression", "faq", "emergency"):  # fmt: skip
        assert slug in listed.out
    topics = cli("guide", "--json").json()
    assert len(topics) == 10
    assert topics[0]["topic"] == "basics"


def test_guide_shows_a_topic(cli: Cli) -> None:
    shown = cli("guide", "safety")

    assert shown.code == 0, shown.err
    assert "The safety rules" in shown.out
    doc = cli("guide", "safety", "--json").json()
    assert doc["topic"] == "safety"
    assert "pain" in doc["body"].lower()


def test_guide_preparation_links_to_blindjaws_cleaning_guide(cli: Cli) -> None:
    body = cli("guide", "preparation", "--json").json()["body"]

    assert "howtocleanyourass.wordpress.com" in body


def test_guide_search_finds_the_topics_mentioning_a_word(cli: Cli) -> None:
    found = cli("guide", "--search", "breath", "--json").json()

    slugs = [hit["topic"] for hit in found]
    assert "first-session" in slugs
    assert all("breath" in hit["snippet"].lower() for hit in found)
    human = cli("guide", "--search", "breath")
    assert human.code == 0
    assert "first-session" in human.out


def test_guide_search_shows_each_snippet_with_single_ellipses(cli: Cli) -> None:
    human = cli("guide", "--search", "breath").out

    # The snippet already carries its own "…" where it was cut; the CLI adds another.
    assert "……" not in human


def test_guide_search_with_no_hit_says_so(cli: Cli) -> None:
    found = cli("guide", "--search", "zzzqqq")

    assert found.code == 0
    assert "Nothing in the guide mentions" in found.out


def test_guide_with_an_unknown_topic_exits_2_listing_the_topics(cli: Cli) -> None:
    missing = cli("guide", "nope")

    assert missing.code == 2
    assert missing.err_lines == [missing.err.strip()]
    assert missing.err.startswith("error: unknown topic 'nope'")
    assert "safety" in missing.err


def test_emergency_without_guidance_prints_the_three_steps_on_one_screen(cli: Cli) -> None:
    shown = cli("emergency", "--no-guided")

    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    numbered = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert [line.split(" (")[0] for line in numbered] == [
        "1. Bear down",
        "2. Try an enema",
        "3. Go to an emergency department",
    ]
    assert "about 5 minutes" in numbered[0]
    assert "Do not wait it out" in shown.out
    assert len(lines) <= 24  # readable in one screen


def test_emergency_json_lists_the_steps_with_their_minimum_minutes(cli: Cli) -> None:
    steps = cli("emergency", "--json").json()

    assert [s["step"] for s in steps] == ["bear_down", "enema", "emergency_department", "done"]
    assert [s["minimum_minutes"] for s in steps] == [5.0, 5.0, None, None]


def test_emergency_is_a_one_screen_summary_when_not_run_in_a_terminal(cli: Cli) -> None:
    shown = cli("emergency", input="n\n")

    assert shown.code == 0, shown.err
    assert "1. Bear down" in shown.out
    assert "Has it come out?" not in shown.out


def _fake_monotonic(monkeypatch: pytest.MonkeyPatch, *seconds: float) -> None:
    """Make the guided protocol's clock read `seconds` in turn, then stay at the last."""
    times = itertools.chain(seconds, itertools.repeat(seconds[-1]))
    monkeypatch.setattr(guide_cli, "monotonic", lambda: next(times))


def test_guided_emergency_moves_from_bearing_down_to_an_enema_to_the_emergency_department(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # start; 1 min in: keep going; 6 min in: enema (restart); 6 min more: hospital.
    _fake_monotonic(monkeypatch, 0, 60, 360, 360, 720)

    guided = cli("emergency", "--guided", input="n\nn\nn\n")

    assert guided.code == 0, guided.err
    out = guided.out
    bear, enema, hospital = (
        out.index("== Bear down"),
        out.index("== Try an enema"),
        out.index("== Go to an emergency department"),
    )
    assert bear < enema < hospital
    keep_going = out.index("Keep going, relaxed: about 4 more minute(s)")
    assert bear < keep_going < enema
    assert out.count("Has it come out?") == 3
    assert out.rstrip().endswith("have pain or bleeding.")


def test_guided_emergency_ends_when_it_comes_out(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_monotonic(monkeypatch, 0, 30, 30)

    guided = cli("emergency", "--guided", input="y\n")

    assert guided.code == 0, guided.err
    assert "== It came out ==" in guided.out
    assert "emergency department ==" not in guided.out
    assert "Check the item is whole" in guided.out


def test_config_show_json_names_the_config_file_and_the_database(
    cli: Cli, database_url: str
) -> None:
    shown = cli("config", "show", "--json")

    assert shown.code == 0, shown.err
    doc = shown.json()
    assert doc["config_file"].endswith("no-config.toml")
    assert doc["settings"]["database_url"] == database_url
    assert doc["settings"]["pain_limit"] == 4
    assert doc["settings"]["max_step_percent"] == 15.0
    human = cli("config", "show").out
    assert "pain_limit = 4" in human


def test_db_upgrade_reports_the_current_revision(cli: Cli) -> None:
    upgraded = cli("db", "upgrade")

    assert upgraded.code == 0, upgraded.err
    assert upgraded.out.startswith("Database at revision ")
    assert cli("db", "upgrade").out == upgraded.out  # idempotent


def test_db_upgrade_migrates_a_brand_new_database_file(
    make_cli: Callable[[str], Cli], tmp_path: Path
) -> None:
    fresh = make_cli(f"sqlite:///{tmp_path}/brand-new.db")

    assert fresh("db", "upgrade").code == 0
    assert fresh("init", "--adult", "--timezone", "UTC").code == 0
    assert fresh("status", "--json").json()["state"] == "ready"
