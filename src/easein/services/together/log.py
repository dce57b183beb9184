"""Reading the pairing's append-only audit log (both members; the trainee after it ended)."""

from __future__ import annotations

from sqlalchemy import select

from easein.domain.audit import AuditEvent
from easein.services.app import App
from easein.services.together.records import event_from_row, member
from easein.store.together_models import AuditEventRow


def audit_log(app: App, person_id: int, pairing_id: int) -> list[AuditEvent]:
    """Return every event of the pairing, oldest first: who, when, what (no free text)."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        rows = db.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.pairing_id == pairing_id)
            .order_by(AuditEventRow.id)
        )
        return [event_from_row(r, app, found.pairing.trainee_id) for r in rows]
