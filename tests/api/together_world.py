"""A trainee and everyone around them, built through the API, for the together matrix.

T (the trainee) has an item (in its name and material) and a session carrying a secret
marker, and three pairings: A at full_with_notes (partner `full`), B at nothing (partner
`none`), and C, ended by T (partner `after`). Each pairing has a directive set by its
partner, an agreement version 1 signed by both, and T's submitted answers (the partner's
too in A). A stranger is signed in; T also holds an unused invitation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.api.conftest import Clients, User, marked_plug_and_session

PLAIN = {"trainee": "trainee", "partner": "partner"}
LEVELS = {"full": "full_with_notes", "none": "nothing", "after": "nothing"}
DIRECTIVE = {
    "kind": "wear",
    "duration_min": 60,
    "schedule": "every night",
    "starts_on": "2026-03-01",
    "note": "plenty of lube",
}


@dataclass
class World:
    trainee: User
    partners: dict[str, User]
    stranger: User
    marker: str
    toy_id: int
    session_id: int
    invitation_id: int
    invitation_code: str
    pairing_ids: dict[str, int] = field(default_factory=dict)  # by partner name
    directive_ids: dict[str, int] = field(default_factory=dict)

    def user(self, actor: str) -> User:
        if actor == "trainee":
            return self.trainee
        if actor == "stranger":
            return self.stranger
        return self.partners[actor]

    def pairing_name(self, actor: str) -> str:
        """Whose pairing an actor's path names: their own, or A for the trainee and outsiders."""
        return actor if actor in self.partners else "full"

    def level(self, actor: str) -> str:
        return LEVELS[self.pairing_name(actor)]


def pair_up(trainee: User, partner: User, level: str) -> int:
    code = trainee.ok("POST", "invitations", 201)["code"]
    pid: int = partner.ok("POST", "invitations/accept", 201, json={"code": code})["id"]
    if level != "nothing":
        trainee.ok("PUT", f"pairings/{pid}/sharing", json={"sharing": level})
    for who in (trainee, partner):
        who.ok("POST", f"pairings/{pid}/summary/accept", json={"sharing": level, "words": PLAIN})
    return pid


def build(clients: Clients) -> World:
    tag = uuid.uuid4().hex[:8]
    marker = f"T-SECRET-{tag}"
    trainee = clients.sign_up(f"t-{tag}")
    partners = {name: clients.sign_up(f"{name}-{tag}") for name in LEVELS}
    stranger = clients.sign_up(f"s-{tag}")
    toy, session = marked_plug_and_session(trainee, marker, "silicone")
    invitation = trainee.ok("POST", "invitations", 201)
    world = World(
        trainee,
        partners,
        stranger,
        marker,
        toy["id"],
        session["id"],
        invitation["id"],
        invitation["code"],
    )
    for name, partner in partners.items():
        level = LEVELS[name]
        pid = pair_up(trainee, partner, level)
        world.pairing_ids[name] = pid
        made = partner.ok("POST", f"pairings/{pid}/directives", 201, json=DIRECTIVE)
        world.directive_ids[name] = made["id"]
        terms = {"goal": "nightly wear", "per_week": 3, "sharing": level}
        trainee.ok("POST", f"pairings/{pid}/agreement/versions", 201, json=terms)
        for who in (trainee, partner):
            who.ok("POST", f"pairings/{pid}/agreement/versions/1/sign")
        answers = {"answers": {"wants": ["pleasure"], "faeces": 5}, "submit": True}
        trainee.ok("PUT", f"pairings/{pid}/answers", json=answers)
        if name == "full":
            partner.ok("PUT", f"pairings/{pid}/answers", json=answers)
    trainee.ok("POST", f"pairings/{world.pairing_ids['after']}/end")
    return world


def texts(response: Any) -> str:
    return str(response.text)
