"""Your data: download everything (the export document) and import an export (all or nothing)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from easein.domain.errors import Conflict, EaseInError, InvalidInput
from easein.services import exchange
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page

router = APIRouter(include_in_schema=False)

# An export of ten years of daily sessions is a few MB; this leaves plenty of room.
MAX_IMPORT_BYTES = 64 * 1024 * 1024


@router.get("/settings/data", response_class=HTMLResponse)
def data_page(request: Request, who: Viewer, imported: str = "") -> Response:
    context: dict[str, Any] = {"imported": bool(imported)}
    return page(request, "data.html", context, who=who)


@router.get("/settings/data/export.json")
def download(app: Core, who: Viewer) -> Response:
    """The same document as `easein export` and GET /api/v1/export, as a file to keep."""
    document = exchange.export_document(app, who.profile)
    day = app.now().astimezone(who.profile.tz).date().isoformat()
    return Response(
        orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n",
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="easein-export-{day}.json"',
            # Intimate data: never kept by the browser's cache or a proxy.
            "Cache-Control": "no-store",
        },
    )


def _read_upload(form: Any) -> Any:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("choose an export file to import", field="file", code="required")
    raw = upload.file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise InvalidInput(
            f"{upload.filename} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB: "
            "it is not an EaseIn export",
            field="file",
        )
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(f"{upload.filename} is not JSON: {error}", field="file") from None


@router.post("/settings/data/import", response_class=HTMLResponse)
def import_(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Load an export into this account, which must hold no records yet. All or nothing."""
    try:
        exchange.import_for(app, who.profile, _read_upload(form))
    except EaseInError as error:
        conflict = isinstance(error, Conflict)
        context: dict[str, Any] = {
            "errors": {"file": " ".join(error.message.split())},
            "conflict": conflict,
        }
        status = 409 if conflict else 422
        return page(request, "data.html", context, who=who, status=status)
    return RedirectResponse("/settings/data?imported=1", status_code=303)
