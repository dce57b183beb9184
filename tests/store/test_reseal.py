"""Rows written before encryption at rest are sealed on the first start with a key.

A database filled through the real services with the old plain codec is opened by
`open_app` for the first time with an installation key: afterwards every payload
is sealed (format 2), and everything reads back exactly as before.
"""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import LargeBinary, create_engine, text

from easein.domain.agreement import Terms
from easein.domain.sessions import SessionKind
from easein.services import goals, notify_channels, plans, training
from easein.services.app import open_app
from easein.services.exchange import export_document
from easein.services.together import agreement, comments, directives
from easein.services.together.comments import Target
from easein.settings import Settings
from easein.store.codec import PLAIN, SEALED, PlainCodec
from easein.store.models import every_table
from easein.store.reseal import KEY_COLUMNS, PAYLOADS
from tests.services.together_helpers import fresh, log, nightly, pair

MARK = "LEGACY-7f3a"


def test_every_payload_column_has_its_context() -> None:
    binary = {
        (table.name, column.name)
        for table in every_table().tables.values()
        for column in table.columns
        if isinstance(column.type, LargeBinary)
    }
    assert binary == {(p.table, p.column) for p in PAYLOADS} | set(KEY_COLUMNS)


def _payloads(url: str) -> list[bytes]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [
                bytes(blob)
                for p in PAYLOADS
                for (blob,) in conn.execute(text(f"SELECT {p.column} FROM {p.table}"))
                if blob is not None
            ]
    finally:
        engine.dispose()


def test_a_database_from_before_encryption_is_sealed_on_the_first_start(
    database_url: str, clock, tmp_path
) -> None:
    settings = Settings(database_url=database_url, key_file=str(tmp_path / "first.key"))
    app = open_app(settings, clock=clock)
    app.codec = PlainCodec()  # as EaseIn wrote before encryption at rest
    couple = pair(app)
    session = log(app, couple.trainee, couple.items["p20"], notes=f"{MARK} notes")
    trainee = fresh(app, couple.trainee)
    training.set_condition(app, trainee, training.parse_condition_kind("constipation"), MARK)
    plans.add_plan(
        app,
        fresh(app, couple.trainee),
        name=f"{MARK} plan",
        kind=SessionKind.WEAR,
        schedule="every night",
        at=time(22, 0),
        duration=timedelta(hours=1),
    )
    goals.set_goal(app, fresh(app, couple.trainee), target_mm=30.0, note=f"{MARK} goal")
    notify_channels.add_channel(app, couple.trainee.person_id, f"json://127.0.0.1:9/{MARK}")
    pid, partner = couple.pairing_id, couple.partner.person_id
    made = directives.create_directive(app, partner, pid, nightly())
    comments.add_comment(app, partner, pid, Target.SESSION, session.id, f"{MARK} comment")
    agreement.propose(app, couple.trainee.person_id, pid, Terms(goal=f"{MARK} terms"))
    before = export_document(app, fresh(app, couple.trainee))
    made_before = directives.get_directive(app, partner, pid, made.directive.id)
    app.close()
    legacy = _payloads(database_url)
    assert len(legacy) >= 15 and all(b[:1] == PLAIN for b in legacy)

    # The first start with a key (the key file and its fingerprint are new).
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM installation_key"))
    engine.dispose()
    (tmp_path / "first.key").unlink()
    app = open_app(settings, clock=clock)
    try:
        sealed = _payloads(database_url)
        assert len(sealed) == len(legacy)
        assert all(b[:1] == SEALED and MARK.encode() not in b for b in sealed)
        assert export_document(app, fresh(app, couple.trainee)) == before
        assert directives.get_directive(app, partner, pid, made.directive.id) == made_before
        texts = [
            c.text for c in comments.list_comments(app, partner, pid, Target.SESSION, session.id)
        ]
        assert texts == [f"{MARK} comment"]
        assert [v.version.terms.goal for v in agreement.list_versions(app, partner, pid)] == [
            f"{MARK} terms"
        ]
    finally:
        app.close()
