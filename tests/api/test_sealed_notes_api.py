"""Session notes under the person's data key, through the real server (services.sealed_notes).

The owner reads their notes with any sign-in that holds the key; a sign-in older than
the key gets them empty and `notes_locked`, and an export refuses rather than lose
them. A partner shown notes reads them from a copy sealed under the pairing key, also
for a session logged before the pairing was made.
"""

from __future__ import annotations

from sqlalchemy import update

from easein.services.app import open_app
from easein.store.account_models import AccountRow, AuthSessionRow
from tests.api.conftest import Clients, marked_plug_and_session
from tests.api.together_world import pair_up


def test_the_owner_reads_notes_and_a_partner_reads_them_as_shared(clients: Clients):
    tia, pat = clients.sign_up(), clients.sign_up()
    _, session = marked_plug_and_session(tia, "before-pairing")
    mine = tia.ok("GET", f"sessions/{session['id']}")
    assert (mine["notes"], mine["notes_locked"]) == ("before-pairing notes", False)
    pid = pair_up(tia, pat, "full_with_notes")  # the partner accepts last
    seen = pat.ok("GET", f"pairings/{pid}/sessions/{session['id']}")
    assert seen["notes"] == "before-pairing notes"
    assert "notes_locked" not in seen
    _, later = marked_plug_and_session(tia, "after-pairing")
    listed = pat.ok("GET", f"pairings/{pid}/sessions")
    assert [s["notes"] for s in listed] == ["after-pairing notes", "before-pairing notes"]
    # A token made from a sign-in that holds the key holds it too.
    script = clients.bearer(pat)
    assert script.ok("GET", f"pairings/{pid}/sessions/{later['id']}")["notes"] == (
        "after-pairing notes"
    )
    # Down to "full": no notes for the partner, and no copy left to read.
    tia.ok("PUT", f"pairings/{pid}/sharing", json={"sharing": "full"})
    assert "notes" not in pat.ok("GET", f"pairings/{pid}/sessions/{later['id']}")


def test_a_sign_in_older_than_the_data_key_sees_notes_locked_and_cannot_export(
    live_server, clients: Clients
):
    tia = clients.sign_up()
    _, session = marked_plug_and_session(tia, "locked")
    app = open_app(live_server.settings, clock=live_server.clock)
    try:
        with app.db.writing() as db:  # what a sign-in made before data keys looks like
            account_id = (
                db.query(AccountRow.id).filter(AccountRow.username == tia.username).scalar()
            )
            db.execute(
                update(AuthSessionRow)
                .where(AuthSessionRow.account_id == account_id)
                .values(wrapped_key=None)
            )
    finally:
        app.close()
    seen = tia.ok("GET", f"sessions/{session['id']}")
    assert (seen["notes"], seen["notes_locked"]) == ("", True)
    refused = tia.get("export")
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "your notes open only with your password: sign in again, then export"
    }
    again = clients.sign_in(tia)
    assert again.ok("GET", f"sessions/{session['id']}")["notes"] == "locked notes"
    assert [s["notes"] for s in again.export()["sessions"]] == ["locked notes"]
