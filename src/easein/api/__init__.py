"""The JSON API under /api/v1 (FastAPI). Thin: validate, call one service, shape."""
