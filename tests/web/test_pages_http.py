"""The pages over plain HTTP against the live server: sign-in walls, CSRF, bad input."""

from __future__ import annotations

import httpx

from tests.web.helpers import PASSWORD, field_errors, signed_up

PRIVATE = ["/", "/log", "/toys", "/progress", "/guided", "/wear", "/settings", "/more", "/logout"]
PUBLIC = [
    "/login",
    "/signup",
    "/emergency",
    "/guide",
    "/guide/safety",
    "/guide?q=lube",
    "/offline",
    "/manifest.webmanifest",
    "/sw.js",
    "/icons/icon-192.png",
    "/static/css/app.css",
    "/static/vendor/htmx/htmx.min.js",
]


def test_every_private_page_sends_a_signed_out_browser_to_login(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        for path in PRIVATE:
            response = client.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login"), path
        assert client.get("/progress").headers["location"] == "/login?next=/progress"
        for path in PUBLIC:
            assert client.get(path).status_code == 200, path


def test_private_pages_are_never_stored_and_titles_stay_neutral(live_server):
    client, _ = signed_up(live_server.url)
    for path in ["/", "/log", "/toys"]:
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        assert "<title>EaseIn</title>" in response.text


def test_a_form_post_without_the_csrf_token_is_refused_and_writes_nothing(live_server):
    client, csrf = signed_up(live_server.url)
    toy = {"name": "Small plug", "kind": "plug", "diameter": "20", "base": "flared"}
    assert client.post("/toys", data=toy).status_code == 403
    assert client.post("/toys", data={**toy, "csrf_token": "wrong"}).status_code == 403
    cross_site = client.post(
        "/toys", data={**toy, "csrf_token": csrf}, headers={"Origin": "https://elsewhere.example"}
    )
    assert cross_site.status_code == 403
    assert "nothing was saved" in cross_site.text
    assert client.get("/api/v1/toys").json() == []
    assert client.post("/toys", data={**toy, "csrf_token": csrf}).status_code == 303
    assert [t["name"] for t in client.get("/api/v1/toys").json()] == ["Small plug"]


def test_bad_form_input_is_shown_next_to_the_field_with_422_and_nothing_is_written(live_server):
    client, csrf = signed_up(live_server.url)
    bad_toy = {"csrf_token": csrf, "name": "Plug", "kind": "plug", "diameter": "wide"}
    response = client.post("/toys", data={**bad_toy, "base": "flared"})
    assert response.status_code == 422
    assert field_errors(response.text) == [
        "diameter: 'wide' is not a size; write it like 32mm, 3.2cm or 1.25in"
    ]
    assert 'value="wide"' in response.text  # what was typed is kept
    for toy in [("Small plug", "20", "flared"), ("Glass wand", "25", "none")]:
        data = {"csrf_token": csrf, "name": toy[0], "kind": "plug", "diameter": toy[1]}
        assert client.post("/toys", data={**data, "base": toy[2]}).status_code == 303
    plug, wand = client.get("/api/v1/toys").json()

    log = {"csrf_token": csrf, "kind": "stretch", "item": str(plug["id"]), "duration": "15"}
    cases = [
        ({**log, "pain": "11"}, "pain must be a whole number from 0 to 10 (got 11)"),
        ({**log, "pain": "lots"}, "pain: 'lots' is not a whole number"),
        ({**log}, "pain: fill this in"),
        ({**log, "pain": "1", "duration": "0"}, "minutes: from 1 to 1440 (24 hours)"),
        ({**log, "pain": "1", "item": str(wand["id"])}, wand["refusal"]),
        ({**log, "pain": "1", "at": "yesterday-ish"}, "at: 'yesterday-ish' is not a time"),
    ]
    for data, message in cases:
        response = client.post("/log", data=data)
        assert response.status_code == 422, message
        assert field_errors(response.text)[0].startswith(message), field_errors(response.text)
    assert client.get("/api/v1/sessions").json() == []
    assert "no flared base or handle" in client.get("/toys").text  # the reason is on the page


def test_signing_up_needs_the_adult_confirmation(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        response = client.post(
            "/signup", data={"username": "young", "password": PASSWORD, "timezone": "UTC"}
        )
        assert response.status_code == 422
        assert field_errors(response.text) == [
            "EaseIn is for adults only: confirm you are 18 or older"
        ]
        login = client.post("/login", data={"username": "young", "password": PASSWORD})
        assert login.status_code == 422
        assert field_errors(login.text) == ["wrong username or password"]


def test_signing_in_and_out_with_the_forms(live_server):
    client, csrf = signed_up(live_server.url)
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/").status_code == 303
    response = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "next": "/toys"}
    )
    assert response.headers["location"] == "/toys"
    assert client.get("/toys").status_code == 200
    evil = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "next": "//evil.example"}
    )
    assert evil.headers["location"] == "/"


def test_logging_with_htmx_returns_the_new_status_in_place(live_server):
    client, csrf = signed_up(live_server.url)
    data = {"csrf_token": csrf, "name": "Finger", "kind": "finger", "diameter": "18"}
    assert client.post("/toys", data=data).status_code == 303
    finger = client.get("/api/v1/toys").json()[0]
    assert finger["base"] == "body"
    response = client.post(
        "/log",
        data={"kind": "stretch", "item": str(finger["id"]), "duration": "12", "pain": "0"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div class="notice" role="status">Saved')
    assert "Ready to train" in response.text
    bad = client.post(
        "/log",
        data={"kind": "stretch", "item": str(finger["id"]), "duration": "12"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert bad.status_code == 422
    assert "<html" not in bad.text and "pain: fill this in" in bad.text


def test_emergency_and_guide_need_no_sign_in(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        page = client.get("/emergency").text
        for words in ["Bear down", "Try an enema", "Go to an emergency department", "data-timer"]:
            assert words in page
        found = client.get("/guide", params={"q": "lube"}).text
        assert "/guide/safety" in found
        assert client.get("/guide/nonsense").status_code == 404


def test_settings_change_units_password_sign_ins_and_delete_the_account(live_server):
    client, csrf = signed_up(live_server.url)
    other, _ = httpx.Client(base_url=live_server.url), None
    other.post("/login", data={"username": "alice", "password": PASSWORD})
    page = client.get("/settings").text
    assert page.count("End this sign-in") == 1 and "this device" in page
    assert "Pain limit: 4/10" in page and "physiotherapy handouts" in page

    bad_zone = client.post(
        "/settings/profile", data={"csrf_token": csrf, "units": "in", "timezone": "Mars/Base"}
    )
    assert bad_zone.status_code == 422
    assert "unknown time zone 'Mars/Base'" in field_errors(bad_zone.text)[0]
    assert client.get("/api/v1/profile").json()["units"] == "mm"
    ok = client.post(
        "/settings/profile", data={"csrf_token": csrf, "units": "in", "timezone": "Asia/Tokyo"}
    )
    assert ok.headers["location"] == "/settings?saved=profile"
    assert client.get("/api/v1/profile").json() == {
        "username": "alice",
        "timezone": "Asia/Tokyo",
        "units": "in",
    }

    wrong = client.post(
        "/settings/password",
        data={"csrf_token": csrf, "current_password": "nope", "new_password": "another long one"},
    )
    assert wrong.status_code == 422
    assert field_errors(wrong.text) == ["current_password is wrong"]
    changed = client.post(
        "/settings/password",
        data={"csrf_token": csrf, "current_password": PASSWORD, "new_password": "another long one"},
    )
    assert changed.status_code == 303
    assert other.get("/").status_code == 303  # the other sign-in has ended

    kept = client.post(
        "/settings/delete", data={"csrf_token": csrf, "confirm": "yes", "password": "x"}
    )
    assert kept.status_code == 422
    assert field_errors(kept.text) == ['type "delete my account" to confirm']
    gone = client.post(
        "/settings/delete",
        data={"csrf_token": csrf, "confirm": "Delete my account", "password": "another long one"},
    )
    assert gone.headers["location"] == "/signup"
    assert client.get("/").status_code == 303
    login = client.post("/login", data={"username": "alice", "password": "another long one"})
    assert login.status_code == 422


def test_plans_are_added_listed_and_ended_and_show_on_today(live_server):
    client, csrf = signed_up(live_server.url)
    plan = {"csrf_token": csrf, "name": "Evening", "kind": "stretch", "at": "21:30"}
    bad = client.post("/plans", data={**plan, "schedule": "whenever", "duration": "20"})
    assert bad.status_code == 422
    assert field_errors(bad.text)[0].startswith("'whenever'") or "whenever" in bad.text
    assert client.get("/api/v1/plans").json() == []
    done = client.post("/plans", data={**plan, "schedule": "daily", "duration": "20"})
    assert done.status_code == 303
    assert "Evening" in client.get("/plans").text
    assert "Evening" in client.get("/").text  # today's plan
    plan_id = client.get("/api/v1/plans").json()[0]["id"]
    assert client.post(f"/plans/{plan_id}/end", data={"csrf_token": csrf}).status_code == 303
    assert "End Evening" not in client.get("/plans").text


def test_the_wear_timer_opens_the_log_form_with_the_time_worn(live_server):
    client, csrf = signed_up(live_server.url)
    toy = {"csrf_token": csrf, "name": "Plug", "kind": "plug", "diameter": "25", "base": "flared"}
    client.post("/toys", data=toy)
    plug = client.get("/api/v1/toys").json()[0]["id"]
    started = client.post("/wear/start", data={"csrf_token": csrf, "item": plug, "checkin": 60})
    assert started.headers["location"] == "/wear"
    page = client.get("/wear").text
    assert "Stop and log" in page and 'data-checkin="60"' in page
    since = live_server.clock.now.isoformat()
    live_server.clock.advance(hours=1, minutes=30)
    stopped = client.post("/wear/stop", data={"csrf_token": csrf, "since": since, "item": plug})
    target = stopped.headers["location"]
    assert target.startswith("/log?kind=wear&duration=90&started=")
    form = client.get(target).text
    assert 'name="duration" type="number"' in form and 'value="90"' in form
    assert "Filled in from your timer" in form
    too_long = client.post(
        "/wear/stop", data={"csrf_token": csrf, "since": "2026-01-01T00:00:00+00:00"}
    )
    assert too_long.status_code == 422
    assert "wear time must be at most 24h" in too_long.text
    assert "Stop and log" not in too_long.text


def test_history_lists_sessions_newest_first(live_server):
    client, csrf = signed_up(live_server.url)
    client.post("/toys", data={"csrf_token": csrf, "name": "Finger", "kind": "finger",
                               "diameter": "18"})  # fmt: skip
    finger = client.get("/api/v1/toys").json()[0]["id"]
    for pain in ("1", "2"):
        log = {"csrf_token": csrf, "item": finger, "duration": "10", "pain": pain}
        assert client.post("/log", data=log).status_code == 303
        live_server.clock.advance(days=1)
    page = client.get("/history").text
    assert page.index("pain 2/10") < page.index("pain 1/10")
    assert "Nothing logged of this kind" in client.get("/history?kind=wear").text


def test_an_item_is_edited_retired_and_brought_back(live_server):
    client, csrf = signed_up(live_server.url)
    toy = {"csrf_token": csrf, "name": "Plug", "kind": "plug", "diameter": "25", "base": "flared"}
    client.post("/toys", data=toy)
    plug = client.get("/api/v1/toys").json()[0]["id"]
    bad = client.post(f"/toys/{plug}", data={"csrf_token": csrf, "neck": "40mm"})
    assert bad.status_code == 422
    assert field_errors(bad.text) == ["neck must not be wider than the diameter (the widest part)"]
    edit = {"csrf_token": csrf, "name": "Steel plug", "diameter": "1in", "material": "steel"}
    assert client.post(f"/toys/{plug}", data=edit).status_code == 303
    (changed,) = client.get("/api/v1/toys").json()
    assert (changed["name"], changed["diameter_mm"], changed["material"]) == (
        "Steel plug",
        25.4,
        "steel",
    )
    client.post(f"/toys/{plug}/retire", data={"csrf_token": csrf})
    assert client.get("/api/v1/toys").json() == []
    assert "Bring back Steel plug" in client.get("/toys").text
    client.post(f"/toys/{plug}/retire", data={"csrf_token": csrf, "back": "yes"})
    assert len(client.get("/api/v1/toys").json()) == 1


def test_a_medical_hold_lifts_only_with_the_explicit_confirmation(live_server):
    client, csrf = signed_up(live_server.url)
    client.post("/toys", data={"csrf_token": csrf, "name": "Finger", "kind": "finger",
                               "diameter": "18"})  # fmt: skip
    finger = client.get("/api/v1/toys").json()[0]["id"]
    log = {"csrf_token": csrf, "item": finger, "duration": "10", "pain": "8"}
    assert client.post("/log", data=log).status_code == 303
    today = client.get("/").text
    assert "See a doctor first" in today and "Lift the hold" in today
    assert "Guided session" not in today  # no training offered while on hold
    refused = client.post("/cleared", data={"csrf_token": csrf, "statement": "fine"})
    assert refused.status_code == 422
    assert field_errors(refused.text) == [
        "a medical hold lifts only with your explicit confirmation"
    ]
    assert client.get("/api/v1/status").json()["state"] == "medical_hold"
    lifted = client.post("/cleared", data={"csrf_token": csrf, "confirm": "yes"})
    assert lifted.status_code == 303
    assert client.get("/api/v1/status").json()["state"] != "medical_hold"


def test_a_condition_pauses_training_until_it_is_better(live_server):
    client, csrf = signed_up(live_server.url)
    paused = client.post("/conditions", data={"csrf_token": csrf, "condition": "constipation"})
    assert paused.status_code == 303
    today = client.get("/").text
    assert "Paused" in today and "It's better" in today
    again = client.post("/conditions", data={"csrf_token": csrf, "condition": "constipation"})
    assert again.status_code == 422
    assert "already set" in field_errors(again.text)[0]
    client.post("/conditions/constipation/clear", data={"csrf_token": csrf})
    assert "Ready to train" in client.get("/").text


def test_an_unknown_page_is_a_page_and_an_unknown_api_path_stays_json(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        page = client.get("/no/such/page")
        assert page.status_code == 404 and "Nothing here" in page.text
        api = client.get("/api/v1/no-such-thing")
        assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_nobody_changes_another_persons_items_sign_ins_or_plans(live_server):
    alice, alice_csrf = signed_up(live_server.url, "alice")
    bob, bob_csrf = signed_up(live_server.url, "bob")
    toy = {"csrf_token": alice_csrf, "name": "Plug", "kind": "plug", "diameter": "25"}
    alice.post("/toys", data={**toy, "base": "flared"})
    alice.post("/plans", data={"csrf_token": alice_csrf, "name": "Daily", "schedule": "daily",
                               "at": "21:00", "duration": "20"})  # fmt: skip
    toy_id = alice.get("/api/v1/toys").json()[0]["id"]
    plan_id = alice.get("/api/v1/plans").json()[0]["id"]
    sign_in = alice.get("/api/v1/auth/sessions").json()[0]["id"]
    attempts = [
        (f"/toys/{toy_id}/retire", {}),
        (f"/toys/{toy_id}", {"name": "Mine now"}),
        (f"/plans/{plan_id}/end", {}),
        (f"/settings/sign-ins/{sign_in}/end", {}),
        ("/log", {"item": toy_id, "duration": "10", "pain": "1"}),
    ]
    for path, data in attempts:
        assert bob.post(path, data={**data, "csrf_token": bob_csrf}).status_code == 422, path
    assert alice.get("/api/v1/toys").json()[0]["name"] == "Plug"
    assert alice.get("/api/v1/plans").json()[0]["ended_on"] is None
    assert alice.get("/").status_code == 200
    assert bob.get("/api/v1/sessions").json() == []
