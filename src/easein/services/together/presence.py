"""Whether a person trains with someone now: what every page's header shows.

Asked on every signed-in page, so it is reused while the person's data is
unchanged (services.memo): a pairing's rows bump both members' revisions
(store.db), so a partner's stop and talk shows on the trainee's next page and
the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from easein.domain.errors import EaseInError
from easein.domain.pairing import PairingStatus, Role
from easein.services.app import App
from easein.services.profile import Profile
from easein.services.together import pairing as pairing_service
from easein.services.together import stop as stop_service


@dataclass(frozen=True)
class Bar:
    """What the header shows: the Stop button (trainee), or the paused flag (both)."""

    trainee: bool  # the viewer trains (the receiver) in at least one active pairing
    paused: bool  # a stop and talk is open in one of the viewer's active pairings
    pairing_id: int  # where the flag links to


def _bar(app: App, person_id: int) -> Bar | None:
    active = [
        v
        for v in pairing_service.list_pairings(app, person_id)
        if v.pairing.status is PairingStatus.ACTIVE
    ]
    if not active:
        return None
    paused_in = None
    for view in active:
        stops = stop_service.list_stops(app, person_id, view.pairing.id)
        if any(s.resumed_at is None for s in stops):
            paused_in = view.pairing.id
            break
    trainee = any(v.role is Role.TRAINEE for v in active)
    return Bar(trainee, paused_in is not None, paused_in or active[0].pairing.id)


def bar(app: App, profile: Profile) -> Bar | None:
    """Return the header's state for this person, or None when not in an active pairing."""
    try:
        return app.memo.get(
            "together_bar", profile.person_id, profile.version, lambda: _bar(app, profile.person_id)
        )
    except EaseInError:  # a pairing ended between the two reads: show nothing this time
        return None
