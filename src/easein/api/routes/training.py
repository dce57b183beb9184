"""Toys, ladder, sessions, status, conditions, plans, statistics, export and import."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Query, Response, status

from easein.api.deps import AppDep, Who
from easein.api.errors import ERROR_RESPONSES, in_query
from easein.api.schemas import (
    Clearance,
    ConditionCreate,
    ConditionOut,
    IsoDate,
    LadderOut,
    PlanCreate,
    PlanOut,
    ResourceId,
    SessionCreate,
    SessionOut,
    StatsOut,
    StatusOut,
    ToyCreate,
    ToyOut,
    ToyUpdate,
)
from easein.domain.clock import day_end, day_start, parse_date
from easein.domain.errors import InvalidInput, NotFound
from easein.domain.sessions import (
    Bleeding,
    BloodColour,
    BreathPhase,
    Outcome,
    Sensation,
    Session,
    SessionKind,
)
from easein.domain.toys import Base, ToyKind
from easein.present import (
    condition_json,
    ladder_json,
    plan_json,
    safety_json,
    session_json,
    stats_json,
    toy_json,
)
from easein.services import plans as plan_service
from easein.services import stats as stats_service
from easein.services import toys as toy_service
from easein.services import training as service
from easein.services.import_schema import Document

router = APIRouter(tags=["training"], responses=ERROR_RESPONSES)


@router.get("/toys", response_model=list[ToyOut])
def list_toys(who: Who, app: AppDep, include_retired: bool = False) -> list[dict[str, Any]]:
    """Your items, smallest first."""
    found = toy_service.list_toys(app, who.profile.person_id, include_retired=include_retired)
    return [toy_json(t) for t in found]


@router.post("/toys", status_code=status.HTTP_201_CREATED, response_model=ToyOut)
def add_toy(body: ToyCreate, who: Who, app: AppDep) -> dict[str, Any]:
    """Add an item. One without a flared base or handle is kept but never used anally."""
    toy = toy_service.add_toy(
        app,
        who.profile.person_id,
        name=body.name,
        kind=ToyKind(body.kind),
        diameter_mm=body.diameter_mm,
        base=Base(body.base) if body.base else None,
        length_mm=body.length_mm,
        neck_mm=body.neck_mm,
        material=body.material,
    )
    return toy_json(toy)


def _own_toy(app: AppDep, who: Who, toy_id: int) -> Any:
    for toy in toy_service.list_toys(app, who.profile.person_id, include_retired=True):
        if toy.id == toy_id:
            return toy
    raise NotFound("no such item", field="toy_id")


@router.get("/toys/{toy_id}", response_model=ToyOut)
def get_toy(toy_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """One item."""
    return toy_json(_own_toy(app, who, toy_id))


@router.patch("/toys/{toy_id}", response_model=ToyOut)
def edit_toy(toy_id: ResourceId, body: ToyUpdate, who: Who, app: AppDep) -> dict[str, Any]:
    """Change an item; `retired` takes it off the ladder or brings it back."""
    _own_toy(app, who, toy_id)
    person = who.profile.person_id
    changes = body.model_dump(exclude_unset=True, exclude={"retired"})
    if "kind" in changes and changes["kind"] is not None:
        changes["kind"] = ToyKind(changes["kind"])
    if "base" in changes and changes["base"] is not None:
        changes["base"] = Base(changes["base"])
    toy = toy_service.edit_toy(app, person, toy_id, **changes)
    if body.retired is not None:
        toy = toy_service.set_retired(app, person, toy_id, retired=body.retired)
    return toy_json(toy)


@router.get("/ladder", response_model=LadderOut)
def ladder(who: Who, app: AppDep) -> dict[str, Any]:
    """Usable items by diameter, the earned and next rung, and gaps to fill."""
    return ladder_json(service.status(app, who.profile).ladder)


@router.get("/status", response_model=StatusOut)
def get_status(who: Who, app: AppDep) -> dict[str, Any]:
    """The safety state with every reason, and the recommended next step."""
    # What it reads from the database is reused while the data is unchanged (memo).
    # A plain `def` on purpose: under 32 connections an `async def` here answered
    # more requests but with a p99 near 90 ms (requests starved on the event loop);
    # the thread pool serves them in turn (p99 31 ms, bench/http.py).
    result = service.status(app, who.profile)
    return safety_json(result.safety, result.recommendation)


@router.post("/status/cleared", response_model=StatusOut)
def cleared(body: Clearance, who: Who, app: AppDep) -> dict[str, Any]:
    """Lift a medical hold: only with your explicit confirmation, which is recorded."""
    service.clear_medical_hold(app, who.profile, confirmed=body.confirm, statement=body.statement)
    result = service.status(app, who.profile)
    return safety_json(result.safety, result.recommendation)


@router.post("/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionOut)
def log_session(body: SessionCreate, who: Who, app: AppDep) -> dict[str, Any]:
    """Record a session; the largest item counts as reached. All checks run first."""
    length = timedelta(minutes=body.duration_min)
    draft = Session(
        id=0,
        kind=SessionKind(body.kind),
        started_at=body.started_at or service.default_start(app, length),
        duration=length,
        item_ids=(0,),
        reached_item_id=0,
        reached_mm=0,
        pain=body.pain,
        sharp=body.sharp,
        comfort=body.comfort,
        pleasure=body.pleasure,
        bleeding=Bleeding(body.bleeding),
        colour=BloodColour(body.colour) if body.colour else None,
        outcome=Outcome(body.outcome),
        lube=body.lube,
        relubed=body.relubed,
        warm_up=body.warm_up,
        breath_phase=BreathPhase(body.breath_phase) if body.breath_phase else None,
        sensations=frozenset(Sensation(s) for s in body.sensations),
        orgasm=body.orgasm,
        mess=body.mess,
        notes=body.notes.strip(),
    )
    try:
        saved = service.log_session(app, who.profile, draft, list(body.item_ids))
    except InvalidInput as error:
        if error.field == "at":
            error.field = "started_at"
        raise
    return session_json(saved, service.item_names(app, who.profile))


@router.get("/sessions", response_model=list[SessionOut])
def history(
    who: Who,
    app: AppDep,
    from_: Annotated[IsoDate | None, Query(alias="from")] = None,
    to: IsoDate | None = None,
    kind: Literal["stretch", "wear", "partnered"] | None = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> list[dict[str, Any]]:
    """Your sessions, newest first, by local day range and kind."""
    tz = who.profile.tz
    try:
        since = day_start(parse_date(from_, field="from"), tz) if from_ else None
        until = day_end(parse_date(to, field="to"), tz) if to else None
        found = service.history(
            app,
            who.profile,
            since=since,
            until=until,
            kind=SessionKind(kind) if kind else None,
            limit=limit,
        )
    except InvalidInput as error:
        raise in_query(error) from None
    names = service.item_names(app, who.profile)
    return [session_json(s, names) for s in found]


@router.get("/sessions/{session_id}", response_model=SessionOut)
def get_session(session_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """One of your sessions."""
    found = service.get_session(app, who.profile, session_id)
    return session_json(found, service.item_names(app, who.profile))


@router.get("/conditions", response_model=list[ConditionOut])
def conditions(who: Who, app: AppDep) -> list[dict[str, Any]]:
    """Conditions that pause training, active and past."""
    return [condition_json(c) for c in service.list_conditions(app, who.profile)]


@router.post("/conditions", status_code=status.HTTP_201_CREATED, response_model=ConditionOut)
def set_condition(body: ConditionCreate, who: Who, app: AppDep) -> dict[str, Any]:
    """Pause training while a condition lasts."""
    kind = service.parse_condition_kind(body.condition)
    return condition_json(service.set_condition(app, who.profile, kind, body.note))


@router.post("/conditions/{condition}/clear", response_model=ConditionOut)
def clear_condition(
    condition: Literal["haemorrhoids", "constipation", "diarrhoea", "other"], who: Who, app: AppDep
) -> dict[str, Any]:
    """Mark a condition as better."""
    kind = service.parse_condition_kind(condition)
    return condition_json(service.clear_condition(app, who.profile, kind))


@router.get("/stats", response_model=StatsOut)
def stats(who: Who, app: AppDep) -> Response:
    """Weeks, earned size over time, pain and comfort trend, adherence and habit strength."""
    # Ten years of weeks make a large document: its JSON is reused with the
    # statistics it comes from (the same minute, unchanged data).
    body = stats_service.rendered(app, who.profile, "api-json", _stats_body)
    return Response(body, media_type="application/json")


def _stats_body(result: stats_service.Stats) -> bytes:
    return orjson.dumps(StatsOut.model_validate(stats_json(result)).model_dump(mode="json"))


@router.get("/plans", response_model=list[PlanOut])
def plans(who: Who, app: AppDep, include_ended: bool = False) -> list[dict[str, Any]]:
    """Your training plans."""
    found = plan_service.list_plans(app, who.profile, include_ended=include_ended)
    return [plan_json(p) for p in found]


@router.post("/plans", status_code=status.HTTP_201_CREATED, response_model=PlanOut)
def add_plan(body: PlanCreate, who: Who, app: AppDep) -> dict[str, Any]:
    """Add a recurring plan, evaluated in your time zone."""
    plan = plan_service.add_plan(
        app,
        who.profile,
        name=body.name,
        kind=SessionKind(body.kind),
        schedule=body.schedule,
        at=plan_service.parse_clock(body.at),
        duration=timedelta(minutes=body.duration_min),
    )
    return plan_json(plan)


@router.post("/plans/{plan_id}/end", response_model=PlanOut)
def end_plan(plan_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """End a plan today (its history stays)."""
    return plan_json(plan_service.end_plan(app, who.profile, plan_id))


@router.get("/export", responses={200: {"model": Document}})
def export(who: Who, app: AppDep) -> dict[str, Any]:
    """Everything of yours as one JSON document (lossless; `POST /import` takes it back)."""
    from easein.services import exchange

    return exchange.export_document(app, who.profile)


@router.post(
    "/import",
    status_code=status.HTTP_204_NO_CONTENT,
    # The body is checked strictly by the service (import_schema.Document); document it.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}},
        }
    },
)
def import_(who: Who, app: AppDep, document: Annotated[dict[str, Any], Body()]) -> None:
    """Load an export into your account, which must hold no records yet. All or nothing."""
    from easein.services import exchange

    exchange.import_for(app, who.profile, document)
