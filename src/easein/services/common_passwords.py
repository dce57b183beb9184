"""The common passwords EaseIn refuses, read once on first use (see data/README.md)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def common_passwords() -> frozenset[str]:
    """Return the common passwords, lower-cased (about 8,000; read at the first sign-up)."""
    text = files("easein.services").joinpath("data", "common-passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())
