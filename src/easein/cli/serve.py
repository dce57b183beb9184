"""`easein serve`: the web app and the JSON API with uvicorn."""

import os
from typing import Annotated

import typer

from easein.cli.context import STATE


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    workers: Annotated[
        int, typer.Option(help="Worker processes (PostgreSQL for more than 1).")
    ] = 1,
) -> None:
    """Serve the web app and the API (sign up in the browser; adults only)."""
    import uvicorn

    from easein.domain.errors import InvalidInput

    if not 1 <= port <= 65535:
        raise InvalidInput("--port must be 1-65535", field="port")
    if workers < 1:
        raise InvalidInput("--workers must be at least 1", field="workers")
    app = STATE.app()  # migrates once, before any worker starts
    url = app.settings.resolved_database_url()
    STATE.close()
    if STATE.db:
        # Workers build their own settings from the environment.
        os.environ["EASEIN_DATABASE_URL"] = STATE.db
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    typer.echo(f"EaseIn on http://{shown}:{port}/  (database: {url.split('://')[0]})", err=True)
    uvicorn.run(
        "easein.api.app:factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
