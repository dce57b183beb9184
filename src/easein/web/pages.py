"""The pages of the web app."""

from __future__ import annotations

from fastapi import FastAPI


def install(api: FastAPI) -> None:
    """Register the pages and static files on `api`."""
