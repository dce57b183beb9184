"""Storage: SQLAlchemy models, repositories, migrations and the payload codec."""
