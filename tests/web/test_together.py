"""Training together in the web app: two people, two browsers (or two HTTP clients), one server.

The browser test pairs a trainee and a partner, signs the agreement, sets a nightly
wear directive, checks in, and runs a stop and talk from the header's button. The
HTTP tests check CSRF refusals and that what is not shared is the 404 page for the
partner. axe runs on the new pages.
"""

from __future__ import annotations

import re
from html import unescape

import httpx

from tests.web.conftest import PHONE, screenshot
from tests.web.helpers import sign_up_in, signed_up
from tests.web.test_accessibility import violations

CODE = re.compile(r'id="invite-code">([^<]+)<')
HIDDEN = re.compile(r'name="(seen_[a-z]+)" value="([^"]*)"')


# --- pairing over plain HTTP --------------------------------------------------------------


def pair(base_url: str) -> tuple[httpx.Client, str, httpx.Client, str, int]:
    """Return the trainee's and the partner's clients and tokens, and their active pairing."""
    trainee, t_csrf = signed_up(base_url, "tess")
    partner, p_csrf = signed_up(base_url, "pat")
    made = trainee.post("/together/invite", data={"csrf_token": t_csrf})
    assert made.status_code == 201
    code = CODE.search(made.text)[1]
    joined = partner.post("/together/join", data={"csrf_token": p_csrf, "code": code})
    assert joined.status_code == 303, joined.text
    pairing_id = int(joined.headers["location"].rsplit("/", 1)[1])
    for client, csrf in ((trainee, t_csrf), (partner, p_csrf)):
        seen = dict(HIDDEN.findall(client.get(f"/together/{pairing_id}").text))
        accepted = client.post(f"/together/{pairing_id}/accept", data={"csrf_token": csrf, **seen})
        assert accepted.status_code == 303, accepted.text
    return trainee, t_csrf, partner, p_csrf, pairing_id


def log_a_session(client: httpx.Client, csrf: str) -> int:
    toy = {"csrf_token": csrf, "name": "Small plug", "kind": "plug", "diameter": "20"}
    assert client.post("/toys", data={**toy, "base": "flared"}).status_code == 303
    plug = client.get("/api/v1/toys").json()[0]["id"]
    logged = client.post(
        "/log",
        data={"csrf_token": csrf, "item": str(plug), "duration": "15", "pain": "1", "notes": "x"},
    )
    assert logged.status_code == 303
    return int(logged.headers["location"].split("logged=")[1])


def test_together_forms_without_the_csrf_token_are_refused_and_change_nothing(live_server):
    trainee, csrf, partner, p_csrf, pairing_id = pair(live_server.url)
    for path, data in [
        ("/together/invite", {}),
        ("/together/stop", {}),
        (f"/together/{pairing_id}/stop", {}),
        (f"/together/{pairing_id}/sharing", {"sharing": "full"}),
        (f"/together/{pairing_id}/end", {"confirm": "end"}),
    ]:
        assert trainee.post(path, data=data).status_code == 403, path
        assert trainee.post(path, data={**data, "csrf_token": "wrong"}).status_code == 403, path
    assert partner.post(f"/together/{pairing_id}/stop", data={}).status_code == 403
    page = trainee.get(f"/together/{pairing_id}").text
    assert "Paused: stop and talk" not in page and "Active" in page
    assert 'value="nothing" checked' in page  # the sharing did not change


def test_the_partner_gets_the_404_page_for_what_is_not_shared(live_server):
    trainee, csrf, partner, p_csrf, pairing_id = pair(live_server.url)
    session_id = log_a_session(trainee, csrf)
    one = f"/together/{pairing_id}/sessions/{session_id}"

    assert partner.get(one).status_code == 404  # sharing "nothing": it does not exist
    assert "No shared sessions." in partner.get(f"/together/{pairing_id}/sessions").text
    shared = trainee.post(
        f"/together/{pairing_id}/sharing", data={"csrf_token": csrf, "sharing": "full"}
    )
    assert shared.status_code == 303
    seen = partner.get(one)
    assert seen.status_code == 200 and "Small plug" in seen.text
    assert "<dt>Notes</dt>" not in seen.text  # full, without the notes
    assert "<title>EaseIn</title>" in seen.text

    hidden = trainee.post(
        f"/sessions/{session_id}/sharing", data={"csrf_token": csrf, "shared": "no"}
    )
    assert hidden.status_code == 303
    assert partner.get(one).status_code == 404  # "don't share this one"
    comment = partner.post(f"{one}/comments", data={"csrf_token": p_csrf, "text": "hi"})
    assert comment.status_code == 404

    stranger, _ = signed_up(live_server.url, "sam")
    assert stranger.get(f"/together/{pairing_id}").status_code == 404
    assert stranger.get(f"/together/{pairing_id}/sessions").status_code == 404

    ended = partner.post(
        f"/together/{pairing_id}/end", data={"csrf_token": p_csrf, "confirm": "nope"}
    )
    assert ended.status_code == 422 and "type end" in unescape(ended.text)
    ended = partner.post(
        f"/together/{pairing_id}/end", data={"csrf_token": p_csrf, "confirm": "end"}
    )
    assert ended.status_code == 303
    assert partner.get(f"/together/{pairing_id}").status_code == 404  # access ended at once
    assert trainee.get(f"/together/{pairing_id}").status_code == 200  # the history stays


def test_an_unsafe_directive_is_refused_with_the_safety_reason(live_server):
    trainee, csrf, partner, p_csrf, pairing_id = pair(live_server.url)
    for name, mm in [("Small plug", "20"), ("Huge plug", "45")]:
        data = {"csrf_token": csrf, "name": name, "kind": "plug", "diameter": mm}
        assert trainee.post("/toys", data={**data, "base": "flared"}).status_code == 303
    huge = next(t["id"] for t in trainee.get("/api/v1/toys").json() if t["name"] == "Huge plug")
    refused = partner.post(
        f"/together/{pairing_id}/directives",
        data={
            "csrf_token": p_csrf,
            "kind": "item",
            "item": str(huge),
            "duration": "60",
            "schedule": "every night",
            "starts_on": "2026-03-02",
            "window_start": "22:00",
            "window_end": "07:00",
        },
    )
    assert refused.status_code == 422
    assert "above the earned size plus one rung" in unescape(refused.text)
    assert "No directives yet." in partner.get(f"/together/{pairing_id}").text


def test_the_together_pages_send_a_signed_out_browser_to_login(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        for path in ["/together", "/together/join?code=abc", "/together/1", "/sessions/1"]:
            response = client.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login"), path
        stop = client.post("/together/stop")
        assert (stop.status_code, stop.headers["location"]) == (303, "/login")


def test_invitations_are_single_use_and_can_be_withdrawn(live_server):
    trainee, csrf = signed_up(live_server.url, "tess")
    partner, p_csrf = signed_up(live_server.url, "pat")
    made = trainee.post("/together/invite", data={"csrf_token": csrf})
    code = CODE.search(made.text)[1]
    own = trainee.post("/together/join", data={"csrf_token": csrf, "code": code})
    assert own.status_code == 422 and "this is your own invitation" in unescape(own.text)
    invitation_id = re.search(r"/together/invitations/(\d+)/withdraw", made.text)[1]
    withdrawn = trainee.post(
        f"/together/invitations/{invitation_id}/withdraw", data={"csrf_token": csrf}
    )
    assert withdrawn.headers["location"] == "/together?withdrawn=1"
    late = partner.post("/together/join", data={"csrf_token": p_csrf, "code": code})
    assert late.status_code == 422 and "withdrawn" in late.text
    unknown = partner.post("/together/join", data={"csrf_token": p_csrf, "code": "x" * 24})
    assert unknown.status_code == 422 and "no such invitation" in unknown.text
    prefilled = partner.get(f"/together/join?code={code}")
    assert f'value="{code}"' in prefilled.text


def test_the_partner_changes_a_directive_and_cannot_resume_a_stop(live_server):
    trainee, csrf, partner, p_csrf, pairing_id = pair(live_server.url)
    directive = {
        "csrf_token": p_csrf,
        "kind": "stretch",
        "duration": "15",
        "schedule": "mon,wed,fri",
        "starts_on": "2026-03-02",
    }
    made = partner.post(f"/together/{pairing_id}/directives", data=directive)
    assert made.status_code == 303
    url = made.headers["location"].split("?")[0]
    ack = trainee.post(f"{url}/acknowledge", data={"csrf_token": csrf})
    assert ack.status_code == 303
    assert "Acknowledge</button>" not in trainee.get(url).text
    changed = partner.post(f"{url}/edit", data={**directive, "duration": "20"})
    assert changed.status_code == 303
    page = trainee.get(url).text
    assert "20 min" in page and "Acknowledge</button>" in page  # a new revision: again
    assert "Earlier versions" in page

    assert trainee.post("/together/stop", data={"csrf_token": csrf}).status_code == 303
    paused = partner.get(f"/together/{pairing_id}").text
    assert "Paused: stop and talk" in paused and ">Resume</button>" not in paused
    refused = partner.post(f"/together/{pairing_id}/resume", data={"csrf_token": p_csrf})
    assert refused.status_code == 403 and "only the trainee can resume" in refused.text
    again = partner.post(f"/together/{pairing_id}/stop", data={"csrf_token": p_csrf})
    assert again.status_code == 303  # calling while open is fine, never refused
    resumed = trainee.post(f"/together/{pairing_id}/resume", data={"csrf_token": csrf})
    assert resumed.status_code == 303
    assert "Paused: stop and talk" not in partner.get(f"/together/{pairing_id}").text


def test_the_directive_form_offers_the_trainees_usable_items_whatever_is_shared(live_server):
    trainee, csrf, partner, p_csrf, pairing_id = pair(live_server.url)  # sharing "nothing"
    for name, mm, base in [("Small plug", "20", "flared"), ("Loose toy", "19", "none")]:
        data = {"csrf_token": csrf, "name": name, "kind": "plug", "diameter": mm, "base": base}
        assert trainee.post("/toys", data=data).status_code == 303
    form = unescape(partner.get(f"/together/{pairing_id}/directives/new").text)
    assert "Small plug · 20 mm</option>" in form
    assert "Loose toy" not in form  # no flared base or handle: never offered
    small = re.search(r'<option value="(\d+)">Small plug', form)[1]
    made = partner.post(
        f"/together/{pairing_id}/directives",
        data={"csrf_token": p_csrf, "kind": "item", "item": small, "duration": "30",
              "schedule": "every night", "starts_on": "2026-03-02"},
    )  # fmt: skip
    assert made.status_code == 303
    assert "Small plug" in partner.get(made.headers["location"]).text
    today = trainee.get("/").text
    assert "waiting for you to acknowledge it" in today  # the trainee is addressed


def test_open_invitations_are_listed_without_the_code_and_can_be_withdrawn(live_server):
    trainee, csrf = signed_up(live_server.url, "tess")
    made = trainee.post("/together/invite", data={"csrf_token": csrf})
    code = CODE.search(made.text)[1]
    assert 'id="open-invitations"' not in made.text  # the one just made shows on its own
    page = trainee.get("/together").text
    assert 'id="open-invitations"' in page and code not in page
    invitation_id = re.search(r"/together/invitations/(\d+)/withdraw", page)[1]
    withdrawn = trainee.post(
        f"/together/invitations/{invitation_id}/withdraw", data={"csrf_token": csrf}
    )
    assert withdrawn.status_code == 303
    assert 'id="open-invitations"' not in trainee.get("/together").text


def test_today_shows_the_directives_due_today_with_their_check_ins(live_server):
    trainee, csrf, partner, p_csrf, pairing_id = pair(live_server.url)  # Monday, 21:00
    base = {"csrf_token": p_csrf, "kind": "wear", "duration": "60", "starts_on": "2026-03-01"}
    for schedule, note in [("every night", "Nightly one"), ("tuesdays", "Tuesday one")]:
        made = partner.post(
            f"/together/{pairing_id}/directives",
            data={**base, "schedule": schedule, "note": note,
                  "window_start": "22:00", "window_end": "07:00"},
        )  # fmt: skip
        assert made.status_code == 303
        url = made.headers["location"].split("?")[0]
        assert trainee.post(f"{url}/acknowledge", data={"csrf_token": csrf}).status_code == 303
    today = " ".join(unescape(trainee.get("/").text).split())
    assert "Nightly one" in today and "Tuesday one" not in today  # not due on a Monday
    assert "Yesterday 22:00–07:00: over, no check-in yet" in today
    assert "Today 22:00–07:00: later" in today
    nightly_url = re.search(r'action="(/together/\d+/directives/\d+)/check-in"', today)[1]
    checked = trainee.post(
        f"{nightly_url}/check-in",
        data={"csrf_token": csrf, "day": "2026-03-01", "result": "done"},
    )
    assert checked.status_code == 303
    today = " ".join(unescape(trainee.get("/").text).split())
    assert "Yesterday 22:00–07:00: <strong>checked in: done</strong>" in today


# --- two browsers ---------------------------------------------------------------------------


def browser_sign_up(browser, live_server, username: str):
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        service_workers="block",
        timezone_id="Europe/Berlin",
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_up_in(page, username, timezone="Europe/Berlin")
    return context, page


def test_two_phones_pair_agree_direct_check_in_and_stop_and_talk(browser, live_server):
    clock = live_server.clock  # Monday 2 March 2026, 21:00 in Berlin
    t_context, tess = browser_sign_up(browser, live_server, "tess")
    p_context, pat = browser_sign_up(browser, live_server, "pat")
    errors: list[str] = []
    for page in (tess, pat):
        page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # The trainee's item, so a wear directive has something to name.
        tess.fill("#name", "Small plug")
        tess.select_option("#kind", "plug")
        tess.fill("#diameter", "20")
        tess.locator("form[action='/toys'] label.choice", has_text="Flared").click()
        tess.click("text=Add item")
        tess.wait_for_url("**/toys#items")

        # Invite: the code is shown once; the partner opens the link on their phone.
        tess.click("nav.tabs >> text=Together")
        tess.click("text=Make an invitation code")
        tess.wait_for_selector("#invite-code")
        link = tess.locator("#invite-link").get_attribute("href")
        screenshot(tess, "together-01-invitation")
        pat.goto(link)
        assert pat.input_value("#code") == tess.locator("#invite-code").inner_text()
        pat.click("text=Accept the invitation")
        pat.wait_for_url(re.compile(r".*/together/\d+$"))
        pairing_url = pat.url
        screenshot(pat, "together-02-summary")

        # Both accept the same plain summary; then the pairing is active.
        pat.click("text=I have read this and accept")
        pat.wait_for_url("**?saved=accepted")
        assert "You accepted. Waiting for your trainee." in pat.content()
        tess.goto(pairing_url)
        tess.click("text=I have read this and accept")
        tess.wait_for_url("**?saved=accepted")
        assert "Active" in tess.locator("main").inner_text()
        tess.locator("#sharing label.choice", has_text="Full reports, without").click()
        tess.click("text=Save sharing")
        tess.wait_for_url("**?saved=sharing")
        screenshot(tess, "together-03-pairing-trainee")

        # The agreement: the trainee proposes, both sign.
        tess.goto(pairing_url + "/agreement")
        tess.fill("#goal", "Nightly wear, comfortably, by summer")
        tess.fill("#per_week", "7")
        tess.fill("#mess_plan", "Towel and wipes; no fuss.")
        tess.click("text=Propose version 1")
        tess.wait_for_url("**/agreement?saved=1")
        tess.click("text=Sign version 1")
        tess.wait_for_url("**/agreement?saved=1")
        pat.goto(pairing_url + "/agreement")
        pat.click("text=Sign version 1")
        pat.wait_for_url("**/agreement?saved=1")
        assert "in force" in pat.locator("#latest").inner_text()
        screenshot(pat, "together-04-agreement")

        # The conversation: private answers, then side by side with the differences marked.
        for page, wants in ((tess, "pleasure"), (pat, "control")):
            page.goto(pairing_url + "/conversation")
            page.click(f"input[name=q_wants][value={wants}] + span")
            page.click("input[name=q_goal][value=wear] + span")
            page.click("text=Share my answers")
            page.wait_for_url("**/conversation?saved=submitted")
        compared = pat.locator("#compare li.differs")
        assert "What do you want from it?" in compared.first.inner_text()
        assert "What is the goal?" not in " ".join(compared.all_inner_texts())
        screenshot(pat, "together-04b-conversation")

        # The partner sets a nightly wear directive.
        pat.goto(pairing_url)
        pat.click("text=Set a directive")
        pat.locator("label.choice", has_text="Wear").first.click()
        pat.fill("#duration", "120")
        pat.fill("#schedule", "every night")
        pat.fill("#window_start", "22:00")
        pat.fill("#window_end", "07:00")
        pat.fill("#note", "Sleep well.")
        screenshot(pat, "together-05-new-directive")
        pat.click("text=Set the directive")
        pat.wait_for_url(re.compile(r".*/directives/\d+\?saved=set"))
        screenshot(pat, "together-05b-directive")
        assert (
            "waiting for the trainee to acknowledge it"
            in pat.locator("#directive-status").inner_text()
        )

        # The trainee sees it on Today, acknowledges it, and checks in after the night.
        tess.goto("/")
        directives = tess.locator("#directives")
        assert "Sleep well." in directives.inner_text()
        directives.locator("button", has_text="Acknowledge").click()
        tess.wait_for_url("**/#directives")
        clock.advance(hours=10)  # Tuesday, 07:00 in Berlin: last night's window is over
        tess.goto("/")
        assert tess.locator("#directives select[name=day]").input_value() == "2026-03-02"
        tess.locator("#directives button", has_text="Done").click()
        tess.wait_for_url("**/?checked=1#directives")
        assert "Checked in." in tess.locator("#directives").inner_text()
        screenshot(tess, "together-06-today-directive")
        pat.goto(pairing_url)
        assert "Done\n1" in pat.locator("dl.counts").inner_text()

        # Stop and talk: one tap in the header, no confirmation. Both see it paused.
        tess.goto("/progress")
        tess.click("header >> text=Stop and talk")
        tess.wait_for_url("**/progress")
        assert tess.locator("header .paused-flag").inner_text() == "Paused: talk"
        screenshot(tess, "together-07-paused-trainee")
        pat.goto(pairing_url)
        assert "Paused: stop and talk" in pat.locator("#stop").inner_text()
        assert "Only the trainee can resume." in pat.locator("#stop").inner_text()
        assert pat.locator("#stop button", has_text="Resume").count() == 0
        assert "paused by stop and talk" in pat.locator("#directives").inner_text()
        screenshot(pat, "together-08-paused-partner")

        # Only the trainee resumes.
        tess.click("header >> text=Paused: talk")
        tess.locator("#stop button", has_text="Resume").click()
        tess.wait_for_url("**?saved=resumed")
        assert tess.locator("header .stop-talk").count() == 1
        pat.goto(pairing_url)
        assert "active" in pat.locator("#directives").inner_text()
        assert "Paused" not in pat.locator("#stop").inner_text()
    finally:
        t_context.close()
        p_context.close()
    assert errors == []


def test_the_together_pages_have_no_serious_or_critical_violations(browser, live_server):
    t_context, tess = browser_sign_up(browser, live_server, "tess")
    p_context, pat = browser_sign_up(browser, live_server, "pat")
    try:
        found = violations(tess, "/together")
        tess.click("text=Make an invitation code")
        tess.wait_for_selector("#invite-code")
        link = tess.locator("#invite-link").get_attribute("href")
        pat.goto(link)
        found += violations(pat, link)
        pat.click("text=Accept the invitation")
        pat.wait_for_url(re.compile(r".*/together/\d+$"))
        pairing = pat.url.rsplit("/", 1)[1]
        found += violations(pat, f"/together/{pairing}")  # pending: the summary
        pat.click("text=I have read this and accept")
        tess.goto(f"/together/{pairing}")
        tess.click("text=I have read this and accept")
        for path in ["", "/agreement", "/conversation", "/sessions", "/directives/new", "/log"]:
            found += violations(pat, f"/together/{pairing}{path}")
        found += violations(tess, f"/together/{pairing}")
        assert found == []
    finally:
        t_context.close()
        p_context.close()
