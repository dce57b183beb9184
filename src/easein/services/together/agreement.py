"""The agreement: propose, reopen and sign versions (never rewritten), and the diff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain import agreement as rules
from easein.domain.agreement import AgreementVersion, Change, Signature, Terms, VersionStatus
from easein.domain.audit import AuditKind
from easein.domain.errors import NotFound
from easein.domain.pairing import Pairing
from easein.domain.sharing import SharingLevel
from easein.services.app import App
from easein.services.together.records import audit, member
from easein.store.codec import Context, add_sealed
from easein.store.together_models import AgreementSignatureRow, AgreementVersionRow


@dataclass(frozen=True)
class VersionView:
    version: AgreementVersion
    status: VersionStatus


def terms_payload(terms: Terms) -> dict[str, Any]:
    return {
        "goal": terms.goal,
        "target_mm": terms.target_mm,
        "target_wear_s": None if terms.target_wear is None else terms.target_wear.total_seconds(),
        "target_activity": terms.target_activity,
        "per_week": terms.per_week,
        "schedule": terms.schedule,
        "mess_plan": terms.mess_plan,
        "sharing": terms.sharing.value,
    }


def _terms(data: dict[str, Any]) -> Terms:
    wear = data.get("target_wear_s")
    return Terms(
        goal=data["goal"],
        target_mm=data.get("target_mm"),
        target_wear=None if wear is None else timedelta(seconds=wear),
        target_activity=data.get("target_activity", ""),
        per_week=data.get("per_week"),
        schedule=data.get("schedule"),
        mess_plan=data.get("mess_plan", ""),
        sharing=SharingLevel(data.get("sharing", SharingLevel.NOTHING.value)),
    )


def _history(db: DbSession, app: App, pairing: Pairing) -> list[AgreementVersion]:
    rows = list(
        db.scalars(
            select(AgreementVersionRow)
            .where(AgreementVersionRow.pairing_id == pairing.id)
            .order_by(AgreementVersionRow.number)
        )
    )
    signatures: dict[int, list[Signature]] = {r.id: [] for r in rows}
    if rows:
        for s in db.scalars(
            select(AgreementSignatureRow)
            .where(AgreementSignatureRow.version_id.in_(list(signatures)))
            .order_by(AgreementSignatureRow.signed_at, AgreementSignatureRow.id)
        ):
            signatures[s.version_id].append(Signature(s.signer_id, s.signed_at))
    owner = pairing.trainee_id
    return [
        AgreementVersion(
            r.pairing_id,
            r.number,
            _terms(app.codec.decode(r.payload, Context("agreement_versions", owner, r.id))),
            r.proposed_by,
            r.created_at,
            r.based_on,
            tuple(signatures[r.id]),
        )
        for r in rows
    ]


def _views(history: list[AgreementVersion], pairing: Pairing) -> list[VersionView]:
    return [VersionView(v, rules.status_of(v, history, pairing)) for v in history]


def _store(db: DbSession, app: App, pairing: Pairing, version: AgreementVersion) -> None:
    row = AgreementVersionRow(
        pairing_id=pairing.id,
        number=version.number,
        proposed_by=version.proposed_by,
        created_at=version.created_at,
        based_on=version.based_on,
    )
    data = terms_payload(version.terms)
    add_sealed(db, row, app.codec, data, "agreement_versions", pairing.trainee_id)


def list_versions(app: App, person_id: int, pairing_id: int) -> list[VersionView]:
    """Return every version of the agreement, oldest first, with where each stands."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        return _views(_history(db, app, found.pairing), found.pairing)


def get_version(app: App, person_id: int, pairing_id: int, number: int) -> VersionView:
    """Return one version of the agreement."""
    for view in list_versions(app, person_id, pairing_id):
        if view.version.number == number:
            return view
    raise NotFound(f"no agreement version {number}", field="version")


def propose(app: App, person_id: int, pairing_id: int, terms: Terms) -> VersionView:
    """Propose new terms: a new draft version (either member; only the trainee changes what
    is shared)."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        history = _history(db, app, found.pairing)
        version = rules.propose(history, found.pairing, person_id, terms, app.now())
        _store(db, app, found.pairing, version)
        previous = rules.latest(history)
        changed = ",".join(c.field for c in rules.diff(previous, version)) if previous else ""
        audit(
            db,
            app,
            found.pairing,
            person_id,
            AuditKind.AGREEMENT_VERSION_CREATED,
            {
                "version": version.number,
                "based_on": version.based_on,
                "fields_changed": changed[:200],
            },
        )
        return _views([*history, version], found.pairing)[-1]


def reopen(app: App, person_id: int, pairing_id: int) -> VersionView:
    """Reopen the signed agreement: a new draft with the same terms (either member); the
    version in force stays in force until both sign the new one."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        history = _history(db, app, found.pairing)
        version = rules.reopen(history, found.pairing, person_id, app.now())
        _store(db, app, found.pairing, version)
        audit(
            db,
            app,
            found.pairing,
            person_id,
            AuditKind.AGREEMENT_REOPENED,
            {"version": version.number, "based_on": version.based_on},
        )
        return _views([*history, version], found.pairing)[-1]


def sign(app: App, person_id: int, pairing_id: int, number: int) -> VersionView:
    """Sign version `number` (only the latest can be signed); in force once both signed."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        history = _history(db, app, found.pairing)
        signed = rules.sign(history, found.pairing, number, person_id, app.now())
        version_id = db.scalar(
            select(AgreementVersionRow.id).where(
                AgreementVersionRow.pairing_id == pairing_id, AgreementVersionRow.number == number
            )
        )
        assert version_id is not None
        db.add(
            AgreementSignatureRow(
                version_id=version_id, signer_id=person_id, signed_at=signed.signatures[-1].at
            )
        )
        history = [signed if v.number == number else v for v in history]
        status = rules.status_of(signed, history, found.pairing)
        audit(
            db,
            app,
            found.pairing,
            person_id,
            AuditKind.AGREEMENT_SIGNED,
            {"version": number, "in_force": status is VersionStatus.IN_FORCE},
        )
        return VersionView(signed, status)


def diff(
    app: App, person_id: int, pairing_id: int, number: int, against: int | None = None
) -> tuple[AgreementVersion, AgreementVersion, tuple[Change, ...]]:
    """Return version `against` (default: the one it was based on), version `number`, and
    the terms that differ between them."""
    views = {v.version.number: v.version for v in list_versions(app, person_id, pairing_id)}
    after = views.get(number)
    if after is None:
        raise NotFound(f"no agreement version {number}", field="version")
    base = against if against is not None else (after.based_on or after.number)
    before = views.get(base)
    if before is None:
        raise NotFound(f"no agreement version {base}", field="against")
    return before, after, rules.diff(before, after)
