"""Property: whatever the sessions and the level, a partner's view holds only shared fields."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from easein.domain.errors import NotFound
from easein.domain.sessions import Bleeding, BloodColour, Outcome, SessionKind
from easein.domain.sharing import (
    REASON_FIELDS,
    SESSION_FIELDS,
    STATUS_FIELDS,
    SharingLevel,
)
from easein.services.together import pairing, views
from tests.services.together_helpers import log, pair

sessions = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(list(SessionKind)),
            "pain": st.integers(0, 10),
            "sharp": st.booleans(),
            "bleeding": st.sampled_from(list(Bleeding)),
            "outcome": st.sampled_from(list(Outcome)),
            "notes": st.text(max_size=20),
            "item": st.sampled_from(["p20", "p22"]),
            "hide": st.booleans(),
        }
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(level=st.sampled_from(list(SharingLevel)), logged=sessions)
def test_a_partner_response_never_holds_a_field_outside_the_sharing_level(app, level, logged):
    couple = pair(app, level)
    hidden = set()
    for spec in logged:
        colour = BloodColour.BRIGHT if spec["bleeding"] is not Bleeding.NONE else None
        made = log(app, couple.trainee, couple.items[spec["item"]], kind=spec["kind"],
                   pain=spec["pain"], sharp=spec["sharp"], bleeding=spec["bleeding"],
                   colour=colour, outcome=spec["outcome"], notes=spec["notes"])  # fmt: skip
        if spec["hide"]:
            pairing.set_session_shared(app, couple.trainee.person_id, made.id, shared=False)
            hidden.add(made.id)
    partner, pid = couple.partner.person_id, couple.pairing_id

    seen = views.shared_sessions(app, partner, pid)
    assert all(set(s) <= SESSION_FIELDS[level] for s in seen)
    assert not {s["id"] for s in seen} & hidden
    if level is SharingLevel.NOTHING:
        assert seen == []
    try:
        status = views.shared_status(app, partner, pid)
    except NotFound:
        assert level is SharingLevel.NOTHING
    else:
        assert level is not SharingLevel.NOTHING
        assert set(status) <= STATUS_FIELDS[level]
        for reason in status.get("reasons", []):
            assert set(reason) <= REASON_FIELDS[level]
            assert reason.get("session_id") not in hidden or reason.get("session_id") is None
