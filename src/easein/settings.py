"""One settings class: defaults < TOML file < EASEIN_* environment < command-line flags.

The TOML file is `EASEIN_CONFIG` if set, else `config.toml` in the user config
directory. `easein config show` prints the effective values and their sources.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "easein"


def default_data_dir() -> Path:
    """Return the per-user data directory (where the SQLite file lives by default)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    """Return the TOML file read for settings: `EASEIN_CONFIG`, else the user config dir."""
    explicit = os.environ.get("EASEIN_CONFIG")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


class Settings(BaseSettings):
    """Every setting of EaseIn. Each has a default and help text (documented in README)."""

    model_config = SettingsConfigDict(env_prefix="EASEIN_", extra="forbid", frozen=True)

    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL or SQLite file path; default: easein.db in the user data "
        "directory. PostgreSQL: postgresql+psycopg://user@host/db",
    )
    pain_limit: int = Field(4, description="Hold or advance only below this pain (1-6, /10).")
    sessions_to_advance: int = Field(
        3, description="Comfortable sessions at a size before the next one (2-10)."
    )
    min_days_at_size: int = Field(
        7, description="Those sessions must span at least this many days (3-60)."
    )
    max_step_percent: float = Field(
        15, description="The next item may be at most this much larger in diameter (5-25 %)."
    )
    rest_days_after_spotting: int = Field(
        3, description="Days of rest after a session with a little blood (2-14)."
    )
    acute_pain: int = Field(
        7, description="Pain at or above this means see a doctor (5-8, above pain_limit)."
    )
    busy_timeout_ms: int = Field(
        5000, description="How long a SQLite write waits for another writer (milliseconds)."
    )
    debug: bool = Field(False, description="Show tracebacks for unexpected errors.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=default_config_file())
        return (init_settings, env_settings, toml)

    def resolved_database_url(self) -> str:
        """Return the SQLAlchemy URL: a plain path becomes a SQLite URL."""
        raw = self.database_url
        if not raw:
            return f"sqlite:///{default_data_dir() / 'easein.db'}"
        if "://" in raw:
            return raw
        return f"sqlite:///{Path(raw).expanduser().absolute()}"

    def thresholds(self) -> dict[str, Any]:
        """Return the safety thresholds by name, as the domain policy takes them."""
        names = (
            "pain_limit",
            "sessions_to_advance",
            "min_days_at_size",
            "max_step_percent",
            "rest_days_after_spotting",
            "acute_pain",
        )
        return {name: getattr(self, name) for name in names}


def get_settings(**overrides: Any) -> Settings:
    """Return the settings, with explicit `overrides` (command-line flags) on top."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)
