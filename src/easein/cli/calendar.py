"""`easein calendar url` and `calendar revoke`: the private calendar feed of your account."""

from typing import Annotated
from urllib.parse import urlsplit

import typer

from easein.cli.context import STATE, emit_json
from easein.domain.errors import InvalidInput

calendar_app = typer.Typer(help="A private calendar address for your phone's calendar app.")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DEFAULT_BASE = "http://127.0.0.1:8765"


def check_base_url(text: str) -> str:
    """Return the server's address without a trailing slash, if it is an http(s) URL."""
    clean = text.strip().rstrip("/")
    parts = urlsplit(clean)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidInput(
            f"base-url: {text!r} is not the server's address; write it like "
            "https://easein.example.org or http://127.0.0.1:8765",
            field="base-url",
        )
    return clean


@calendar_app.command("url")
def calendar_url(
    explicit: Annotated[
        bool,
        typer.Option(
            "--explicit",
            help="Event titles name the plan and its kind (default: neutral words only).",
        ),
    ] = False,
    base_url: Annotated[
        str,
        typer.Option("--base-url", help="The address EaseIn is served at (easein serve)."),
    ] = DEFAULT_BASE,
    json: JsonFlag = False,
) -> None:
    """Make your calendar address (a new one each time: the old one stops working)."""
    from easein.services import calendar as service

    base = check_base_url(base_url)
    app = STATE.app()
    account = service.account_of(app, STATE.profile())
    token, _ = service.create_feed(app, account, explicit=explicit)
    url = base + service.feed_path(token)
    if json:
        emit_json({"url": url, "explicit": explicit})
        return
    typer.echo(url)
    typer.echo(
        "Add it to your calendar app as a subscription. It is shown this once; keep it "
        "private (anyone with it sees when your plans are).",
        err=True,
    )


@calendar_app.command("revoke")
def calendar_revoke(json: JsonFlag = False) -> None:
    """Revoke your calendar address: calendar apps get nothing from it any more."""
    from easein.services import calendar as service

    app = STATE.app()
    service.revoke_feed(app, service.account_of(app, STATE.profile()))
    if json:
        emit_json({"revoked": True})
    else:
        typer.echo("Calendar address revoked.")


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")
