"""The wear timer over plain HTTP against the live server: the server keeps the running
timer, stopping opens the log form, and the one nudge reaches a real loopback receiver
when a worker pass runs after the planned time (the injected clock moves; nothing sleeps).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from easein.services import outbox
from easein.services.app import open_app
from easein.services.notify_channels import add_channel
from easein.store.wear_models import WearTimerRow
from tests.notify.receiver import receiving
from tests.web.helpers import signed_up


def with_a_plug(url: str):
    client, csrf = signed_up(url)
    toy = {"csrf_token": csrf, "name": "Plug", "kind": "plug", "diameter": "25", "base": "flared"}
    client.post("/toys", data=toy)
    plug = client.get("/api/v1/toys").json()[0]["id"]
    return client, csrf, plug


def test_the_timer_is_kept_by_the_server_and_stop_opens_the_log_form(live_server):
    client, csrf, plug = with_a_plug(live_server.url)
    form = client.get("/wear").text
    assert 'name="planned"' in form and 'action="/wear/start"' in form
    start = {"item": plug, "planned": "90", "checkin": "60"}
    assert client.post("/wear/start", data=start).status_code == 403  # no CSRF token
    assert client.get("/wear/start", params=start).headers["location"] == "/wear"  # no write
    started = client.post("/wear/start", data={**start, "csrf_token": csrf})
    assert (started.status_code, started.headers["location"]) == (303, "/wear")
    page = client.get("/wear").text
    assert "Stop and log" in page and 'data-checkin="60"' in page and "data-up=" in page
    assert "Wearing Plug" in page
    again = client.post("/wear/start", data={**start, "csrf_token": csrf, "planned": "30"})
    assert again.status_code == 303  # still the one timer

    live_server.clock.advance(hours=1, minutes=30)
    page = client.get("/wear").text  # another visit, another device: the same timer
    timer = page.split('name="timer" value="')[1].split('"')[0]
    stopped = client.post("/wear/stop", data={"csrf_token": csrf, "timer": timer})
    target = stopped.headers["location"]
    assert target.startswith("/log?kind=wear&duration=90&started=")
    assert f"item={plug}" in target
    assert "Filled in from your timer" in client.get(target).text
    assert "Stop and log" not in client.get("/wear").text


def test_a_bad_planned_time_is_a_422_naming_the_field(live_server):
    client, csrf, plug = with_a_plug(live_server.url)
    bad = client.post(
        "/wear/start", data={"csrf_token": csrf, "item": plug, "planned": "5000", "checkin": "60"}
    )
    assert bad.status_code == 422
    assert "planned must be between 1 and 1440 minutes" in bad.text
    assert "Stop and log" not in client.get("/wear").text


def test_an_item_without_a_flared_base_starts_no_timer(live_server):
    """A crafted post (the form lists only usable items) meets the same rule as the log."""
    client, csrf, plug = with_a_plug(live_server.url)
    loose = {"csrf_token": csrf, "name": "Loose", "kind": "dildo", "diameter": "20", "base": "none"}
    client.post("/toys", data=loose)
    unsafe = next(t["id"] for t in client.get("/api/v1/toys").json() if t["name"] == "Loose")
    refused = client.post(
        "/wear/start", data={"csrf_token": csrf, "item": [plug, unsafe], "planned": "60"}
    )
    assert refused.status_code == 422
    assert "Loose" in refused.text and "flared base" in refused.text
    assert "Stop and log" not in client.get("/wear").text


def test_forget_ends_the_timer_and_logs_nothing(live_server):
    client, csrf, plug = with_a_plug(live_server.url)
    client.post("/wear/start", data={"csrf_token": csrf, "item": plug, "planned": "60"})
    assert client.post("/wear/forget", data={"csrf_token": csrf}).status_code == 303
    assert "Stop and log" not in client.get("/wear").text


def test_started_on_the_web_the_nudge_arrives_once_and_not_after_stop(live_server):
    clock = live_server.clock
    worker = open_app(live_server.settings, clock=clock)
    try:
        with receiving(clock) as receiver:
            client, csrf, plug = with_a_plug(live_server.url)
            start = {"csrf_token": csrf, "item": plug, "planned": "60", "checkin": "0"}
            client.post("/wear/start", data=start)
            with worker.db.reading() as db:
                person_id = db.scalar(select(WearTimerRow.person_id))
            add_channel(worker, person_id, receiver.url("phone"))
            for _ in range(8):  # a worker pass every 15 minutes for two hours
                clock.advance(minutes=15)
                outbox.run_once(worker)
            assert [(a.at, a.message) for a in receiver.to("phone")] == [
                (clock.now - timedelta(hours=1), "Your timer is up")
            ]
            page = client.get("/wear").text
            timer = page.split('name="timer" value="')[1].split('"')[0]
            client.post("/wear/stop", data={"csrf_token": csrf, "timer": timer})

            client.post("/wear/start", data=start)  # a second wear, stopped in time
            clock.advance(minutes=45)
            outbox.run_once(worker)
            client.post("/wear/forget", data={"csrf_token": csrf})
            for _ in range(8):
                clock.advance(minutes=15)
                outbox.run_once(worker)
            assert len(receiver.to("phone")) == 1
    finally:
        worker.close()
