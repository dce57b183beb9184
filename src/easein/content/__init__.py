"""The project's own guide: Markdown topics in `guide/`, read lazily and cached.

Each file is named `NN-slug.md` (NN gives the reading order) and starts with a
`# Title` line. Nothing is read at import time; the first call loads them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from easein.domain.errors import NotFound

_FILE_NAME = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Topic:
    """One guide topic. `body` is Markdown without the title line."""

    slug: str
    title: str
    body: str


def topics() -> list[Topic]:
    """Return every topic in reading order."""
    return list(_load())


@cache
def _load() -> tuple[Topic, ...]:
    found: list[tuple[int, Topic]] = []
    for entry in files(__name__).joinpath("guide").iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is None:
            continue
        first, _, rest = entry.read_text(encoding="utf-8").partition("\n")
        if not first.startswith("# "):
            # A packaging mistake, not a user error: fail loudly in tests.
            raise ValueError(f"guide/{entry.name} must start with a '# Title' line")
        found.append((int(match[1]), Topic(match[2], first[2:].strip(), rest.strip("\n"))))
    found.sort(key=lambda pair: pair[0])
    return tuple(t for _, t in found)


@cache
def _by_slug() -> dict[str, Topic]:
    return {t.slug: t for t in _load()}


def topic(slug: str) -> Topic:
    """Return the topic named `slug`, or raise NotFound listing the choices."""
    found = _by_slug().get(slug.strip().lower())
    if found is None:
        choices = ", ".join(t.slug for t in _load())
        raise NotFound(f"unknown topic {slug!r}: choose one of {choices}", field="topic")
    return found


def _plain(markdown: str) -> str:
    """Return `markdown` as one line of plain text, for matching and snippets."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # [text](url) -> text
    text = re.sub(r"^\s*(?:#+|[-*]\s+\[[ x]\]|[-*]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    text = text.replace("**", "").replace("`", "")
    return " ".join(text.split())


@cache
def _plain_texts() -> tuple[tuple[Topic, str], ...]:
    return tuple((t, f"{t.title}. {_plain(t.body)}") for t in _load())


def _snippet(text: str, start: int, length: int) -> str:
    """Return about SNIPPET_CHARS of `text` around the match at `start`, cut at word edges."""
    before = max(0, (SNIPPET_CHARS - length) // 3)
    lo = max(0, start - before)
    hi = min(len(text), lo + SNIPPET_CHARS)
    lo = max(0, hi - SNIPPET_CHARS)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", start + length, hi)
        hi = space if space != -1 else hi
    return ("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


def search(query: str) -> list[tuple[Topic, str]]:
    """Return the topics containing every word of `query` (any case), most hits first.

    A word matches at the start of a word in the text, so "breath" finds
    "breathing" but "red" does not find "bored". Each topic comes with a short
    snippet around the first place the words occur together, or else around
    the first place any of them occurs.
    """
    words = query.split()
    if not words:
        return []
    patterns = [re.compile(r"\b" + re.escape(w), re.IGNORECASE) for w in words]
    phrase = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    results: list[tuple[int, Topic, str]] = []
    for t, text in _plain_texts():
        firsts = [p.search(text) for p in patterns]
        if not all(firsts):
            continue
        hits = sum(len(p.findall(text)) for p in patterns)
        # The words together, or else the earliest of them.
        shown = phrase.search(text) or min(
            (m for m in firsts if m is not None), key=lambda m: m.start()
        )
        results.append((hits, t, _snippet(text, shown.start(), shown.end() - shown.start())))
    # sort() is stable: equal hit counts keep the reading order.
    results.sort(key=lambda r: -r[0])
    return [(t, snippet) for _, t, snippet in results]
