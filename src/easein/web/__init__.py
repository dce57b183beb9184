"""Server-rendered pages (Jinja2 + HTMX), static assets and the PWA bits."""
