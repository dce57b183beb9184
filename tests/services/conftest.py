from __future__ import annotations

import pytest

from easein.domain.toys import Base, ToyKind
from easein.services import toys
from easein.services.profile import init_local


@pytest.fixture
def profile(app):
    return init_local(app, adult=True, timezone="Europe/Berlin", units="mm")


@pytest.fixture
def ladder(app, profile):
    made = {}
    for name, kind, mm, base in [
        ("finger", ToyKind.FINGER, 15, None),
        ("small", ToyKind.PLUG, 17, Base.FLARED),
        ("medium", ToyKind.PLUG, 19, Base.FLARED),
        ("loose", ToyKind.DILDO, 18, Base.NONE),
    ]:
        made[name] = toys.add_toy(
            app, profile.person_id, name=name, kind=kind, diameter_mm=mm, base=base
        )
    return made
