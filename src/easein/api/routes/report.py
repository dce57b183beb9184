"""The report for a clinician, as a PDF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from easein.api.deps import AppDep, Who
from easein.api.errors import ERROR_RESPONSES, in_query
from easein.api.schemas import IsoDate
from easein.domain.errors import InvalidInput
from easein.services.report import report_pdf

router = APIRouter(tags=["report"], responses=ERROR_RESPONSES)

PDF = "application/pdf"


@router.get(
    "/report",
    response_class=Response,
    responses={
        200: {
            "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The PDF, as an attachment",
        }
    },
)
def report(
    who: Who,
    app: AppDep,
    from_: Annotated[IsoDate | None, Query(alias="from")] = None,
    to: IsoDate | None = None,
    notes: bool = False,
) -> Response:
    """Your record for a clinician over local days `from`..`to` (default: the last 90 days).

    Items and sizes used, session counts and durations, pain and bleeding events
    with dates, conditions, the current state and charts; your free-text notes
    only with `notes=true`.
    """
    try:
        made = report_pdf(app, who.profile, from_, to, notes=notes)
    except InvalidInput as error:
        raise in_query(error) from None
    return Response(
        made.pdf,
        media_type=PDF,
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            "Cache-Control": "no-store",
        },
    )
