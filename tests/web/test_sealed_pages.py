"""The pages with a sign-in older than data keys, over real HTTP: session and goal notes,
comments and the conversation's answers sealed under keys the people hold show as
sealed, with what to do, instead of as empty or as an error; a new sign-in shows them
again."""

from __future__ import annotations

from sqlalchemy import update

from easein.services.app import open_app
from easein.store.account_models import AuthSessionRow
from tests.api.conftest import Clients, User, marked_plug_and_session
from tests.api.together_world import pair_up

ANSWERS = {"answers": {"wants_more": "slower evenings"}, "submit": False}


def forget_sign_in_keys(live_server) -> None:
    """Every sign-in now looks like one made before data keys: it holds no key."""
    app = open_app(live_server.settings, clock=live_server.clock)
    try:
        with app.db.writing() as db:
            db.execute(update(AuthSessionRow).values(wrapped_key=None))
    finally:
        app.close()


def page(user: User, path: str) -> str:
    shown = user.client.get(path)
    assert shown.status_code == 200, (path, shown.status_code, shown.text[:300])
    return shown.text


def test_sealed_words_show_as_sealed_to_an_old_sign_in_and_again_after_signing_in(live_server):
    clients = Clients(live_server.url)
    try:
        tia, pat = clients.sign_up(), clients.sign_up()
        pid = pair_up(tia, pat, "full_with_notes")
        _, session = marked_plug_and_session(tia, "sealed-words")
        pat.ok(
            "POST",
            f"pairings/{pid}/sessions/{session['id']}/comments",
            201,
            json={"text": "comment-words"},
        )
        tia.ok("PUT", f"pairings/{pid}/answers", json=ANSWERS)
        tia.ok("PUT", "goal", json={"target_mm": 30.0, "note": "goal-words"})
        forget_sign_in_keys(live_server)

        own = page(tia, f"/sessions/{session['id']}")
        assert "sealed-words notes" not in own and "comment-words" not in own
        assert "Notes are sealed with your password" in own
        assert "Sealed: sign out and in again to read it." in own
        assert "Notes sealed: sign in again to read them." in page(tia, "/history")
        talk = page(tia, f"/together/{pid}/conversation")
        assert "slower evenings" not in talk
        assert "Your answers are sealed" in talk
        progress = page(tia, "/progress")
        assert "goal-words" not in progress and "sealed, sign out and in again" in progress
        assert "it stays as it is unless you write a new one" in page(tia, "/progress/goal")

        again = clients.sign_in(tia)
        own = page(again, f"/sessions/{session['id']}")
        assert "sealed-words notes" in own and "comment-words" in own
        assert "slower evenings" in page(again, f"/together/{pid}/conversation")
        assert "goal-words" in page(again, "/progress")
    finally:
        clients.close()
