"""Report for a clinician: a form (period, notes or not) that downloads the PDF."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from easein.domain.errors import EaseInError
from easein.services import report as report_service
from easein.web import forms
from easein.web.auth import Core, Viewer
from easein.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/report", response_class=HTMLResponse)
def report_form(request: Request, app: Core, who: Viewer) -> Response:
    period = report_service.default_period(app, who.profile)
    values = {"from": period.first.isoformat(), "to": period.last.isoformat(), "notes": False}
    return page(request, "report.html", {"values": values}, who=who)


@router.get("/report.pdf", response_class=Response)
def report_pdf(request: Request, app: Core, who: Viewer) -> Response:
    query = request.query_params
    values: dict[str, Any] = {
        "from": query.get("from", "").strip(),
        "to": query.get("to", "").strip(),
        "notes": query.get("notes", "") not in ("", "0", "off", "false", "no"),
    }
    try:
        made = report_service.report_pdf(
            app, who.profile, values["from"], values["to"], notes=values["notes"]
        )
    except EaseInError as error:
        context = {"values": values, "errors": forms.errors_of(error)}
        return page(request, "report.html", context, who=who, status=422)
    return Response(
        made.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            "Cache-Control": "no-store",
        },
    )
