"""The API over a real HTTP server: sign up, add an item, log, read the status."""

from __future__ import annotations

import httpx


def test_sign_up_log_a_session_and_read_the_status(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        made = client.post(
            "/api/v1/accounts",
            json={"username": "alice", "password": "a long passphrase", "adult": True},
        )
        assert made.status_code == 201, made.text
        csrf = {"X-CSRF-Token": made.json()["csrf_token"]}
        toy = client.post(
            "/api/v1/toys",
            json={"name": "small", "kind": "plug", "diameter_mm": 20.0, "base": "flared"},
            headers=csrf,
        )
        assert toy.status_code == 201, toy.text
        logged = client.post(
            "/api/v1/sessions",
            json={"duration_min": 15, "item_ids": [toy.json()["id"]], "pain": 1},
            headers=csrf,
        )
        assert logged.status_code == 201, logged.text
        status = client.get("/api/v1/status")
        assert status.json()["state"] == "ready"
        assert status.json()["recommendation"]["item"]["name"] == "small"


def test_a_write_without_the_csrf_token_is_refused(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        client.post(
            "/api/v1/accounts",
            json={"username": "bob", "password": "a long passphrase", "adult": True},
        )
        refused = client.post(
            "/api/v1/toys",
            json={"name": "small", "kind": "plug", "diameter_mm": 20.0, "base": "flared"},
        )
        assert refused.status_code == 403
        assert client.get("/api/v1/toys").json() == []
