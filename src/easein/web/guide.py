"""The guide (topics and search) and the emergency protocol: public, and cached for offline use.

These pages carry nothing personal, whoever asks, so the service worker may keep them.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from easein import content
from easein.domain import emergency
from easein.domain.errors import NotFound
from easein.web.render import page

router = APIRouter(include_in_schema=False)


@cache
def _markdown():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    # Raw HTML off: the guide is the project's own text, but nothing is trusted blindly.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


@cache
def topic_html(slug: str) -> tuple[str, str]:
    """Return the title and the rendered body of a topic."""
    found = content.topic(slug)
    body = _markdown().render(found.body)
    # Headings inside a topic sit below the page's h1.
    for level in (3, 2, 1):
        body = body.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    body = body.replace('<a href="http', '<a rel="noopener noreferrer" href="http')
    return found.title, body


@router.get("/guide", response_class=HTMLResponse)
def guide(request: Request, q: str = "") -> Response:
    query = q.strip()[:200]
    hits = content.search(query) if query else None
    context = {"topics": content.topics(), "query": query, "hits": hits}
    return page(request, "guide.html", context, private=False)


@router.get("/guide/{slug}", response_class=HTMLResponse)
def guide_topic(slug: str, request: Request) -> Response:
    try:
        title, body = topic_html(slug)
    except NotFound:
        raise HTTPException(404, "no such topic") from None
    topics = content.topics()
    slugs = [t.slug for t in topics]
    at = slugs.index(slug.strip().lower())
    context = {
        "topic_title": title,
        "body": body,
        "previous": topics[at - 1] if at > 0 else None,
        "following": topics[at + 1] if at + 1 < len(topics) else None,
    }
    return page(request, "guide_topic.html", context, private=False)


@router.get("/emergency", response_class=HTMLResponse)
def emergency_page(request: Request) -> Response:
    steps = [
        {
            "info": s,
            "minutes": int(s.minimum.total_seconds() // 60) if s.minimum else None,
            "seconds": int(s.minimum.total_seconds()) if s.minimum else None,
        }
        for s in emergency.protocol()
    ]
    return page(request, "emergency.html", {"steps": steps}, private=False)
