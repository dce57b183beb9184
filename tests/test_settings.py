"""Settings: one precedence (defaults < TOML < EASEIN_* < flags), typed, unknown names refused."""

from __future__ import annotations

import pytest

from easein.domain.errors import InvalidInput
from easein.settings import Settings, get_settings


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("EASEIN_CONFIG", str(path))
    for name in ("EASEIN_PAIN_LIMIT", "EASEIN_DATABASE_URL", "EASEIN_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_defaults_apply_without_any_source(config):
    assert get_settings() == Settings()


def test_the_toml_file_overrides_the_defaults(config):
    config.write_text('pain_limit = 3\ndatabase_url = "/tmp/x.db"\n')
    settings = get_settings()
    assert settings.pain_limit == 3
    assert settings.database_url == "/tmp/x.db"


def test_the_environment_overrides_the_file_and_flags_override_both(config, monkeypatch):
    config.write_text('pain_limit = 3\ndatabase_url = "/tmp/file.db"\n')
    monkeypatch.setenv("EASEIN_PAIN_LIMIT", "2")
    monkeypatch.setenv("EASEIN_DATABASE_URL", "/tmp/env.db")
    assert get_settings().pain_limit == 2
    assert get_settings(database_url="/tmp/flag.db").database_url == "/tmp/flag.db"
    assert get_settings(database_url=None).database_url == "/tmp/env.db"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("colour = 1\n", "colour"),
        ('pain_limit = "high"\n', "pain_limit"),
        ("pain_limit = [\n", "config"),
    ],
)
def test_a_bad_config_file_is_refused_naming_the_setting(config, text, field):
    config.write_text(text)
    with pytest.raises(InvalidInput) as caught:
        get_settings()
    assert caught.value.field == field


def test_a_bad_environment_value_is_refused(config, monkeypatch):
    monkeypatch.setenv("EASEIN_DEBUG", "maybe")
    with pytest.raises(InvalidInput, match="EASEIN_DEBUG"):
        get_settings()


def test_a_plain_path_becomes_a_sqlite_url():
    assert Settings(database_url="/tmp/a.db").resolved_database_url() == "sqlite:////tmp/a.db"
    url = "postgresql+psycopg://postgres@127.0.0.1/test"
    assert Settings(database_url=url).resolved_database_url() == url
