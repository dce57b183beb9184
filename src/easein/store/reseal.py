"""Seal the payloads written before encryption at rest (format 1, plain JSON).

Runs once, on the first start with an installation key (`store.keyfile.open_key`),
before the key's fingerprint is recorded: a start interrupted half way seals the rest
the next time. Each payload gets exactly the context its service reads it with;
`PAYLOADS` names them all, and a test checks that no payload column is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from easein.store.codec import PLAIN, Context, PayloadCodec, PlainCodec


@dataclass(frozen=True)
class Payload:
    """Where one kind of payload lives, and how its context is made."""

    table: str
    column: str = "payload"
    context: str = ""  # the context's table name; the table's own by default
    key: str = "id"  # the row id of the context
    owner: str = "t.person_id"  # SQL for the owner, over `t` and `join`
    join: str = ""

    @property
    def context_table(self) -> str:
        return self.context or self.table


TRAINEE = "JOIN pairings p ON p.id = t.pairing_id"

# Binary columns that are not the codec's payloads: key material, already wrapped or
# public by design (services.account_keys), and what is sealed under keys the people
# hold (format 3: services.sealed_notes, services.pairing_keys), never under the
# installation key.
KEY_COLUMNS = (
    ("account_keys", "salt"),
    ("account_keys", "by_password"),
    ("account_keys", "by_recovery"),
    ("account_keys", "public_key"),
    ("account_keys", "private_key"),
    ("auth_sessions", "wrapped_key"),
    ("sessions", "private"),
    ("goals", "private"),
    ("pairings", "trainee_key"),
    ("pairings", "partner_key"),
    ("shared_notes", "payload"),
)

PAYLOADS = (
    Payload("toys"),
    Payload("sessions"),
    Payload("conditions"),
    Payload("acknowledgements"),
    Payload("plans"),
    Payload("goals"),
    Payload("training_states", key="person_id"),
    Payload("training_states", "summary", "training_states.summary", key="person_id"),
    Payload("check_ins"),
    # These two are under the pairing key (format 3) when written by a sign-in that
    # held its writer's data key (services.pairing_keys); the reseal leaves those alone.
    Payload("comments", owner="t.author_id"),
    Payload("conversation_answers", owner="t.author_id"),
    Payload("agreement_versions", owner="p.trainee_id", join=TRAINEE),
    Payload("pairings", owner="t.trainee_id"),
    Payload("directive_revisions"),
    Payload("audit_events", owner="p.trainee_id", join=TRAINEE),
    Payload("notification_channels"),
    Payload("notification_outbox"),
    Payload("web_push_keys", owner="0"),
    Payload(
        "totp_factors",
        key="account_id",
        owner="a.person_id",
        join="JOIN accounts a ON a.id = t.account_id",
    ),
    Payload("wear_timers"),
)


def seal_plain_payloads(conn: Connection, codec: PayloadCodec) -> int:
    """Re-write every plain payload sealed by `codec`; return how many were sealed."""
    plain = PlainCodec()
    sealed = 0
    for spec in PAYLOADS:
        rows = conn.execute(
            text(
                # Names from PAYLOADS above, never from input.
                f"SELECT t.{spec.key}, {spec.owner}, t.{spec.column} "  # noqa: S608  # nosec B608
                f"FROM {spec.table} t {spec.join}"
            )
        ).all()
        for row_id, owner, blob in rows:
            if blob is None or bytes(blob)[:1] != PLAIN:
                continue
            context = Context(spec.context_table, int(owner), int(row_id))
            data = plain.decode(bytes(blob), context)
            conn.execute(
                text(f"UPDATE {spec.table} SET {spec.column} = :blob WHERE {spec.key} = :id"),  # noqa: S608  # nosec B608
                {"blob": codec.encode(data, context), "id": row_id},
            )
            sealed += 1
    return sealed
