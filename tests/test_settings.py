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


@pytest.mark.parametrize(
    ("time_cost", "memory_kib", "parallelism", "field"),
    [
        (1, 19456, 1, "argon2_time_cost"),  # 19 MiB needs 2 passes
        (2, 19455, 1, "argon2_memory_kib"),
        (1, 64, 1, "argon2_time_cost"),  # the tests' own cheap cost: not by a setting
        (3, 65536, 0, "argon2_parallelism"),
    ],
)
def test_argon2_below_owasps_minimums_is_refused(time_cost, memory_kib, parallelism, field):
    with pytest.raises(InvalidInput) as refused:
        Settings(
            argon2_time_cost=time_cost,
            argon2_memory_kib=memory_kib,
            argon2_parallelism=parallelism,
        )
    assert refused.value.field == field


@pytest.mark.parametrize(("time_cost", "memory_kib"), [(2, 19456), (1, 47104), (5, 7168)])
def test_each_of_owasps_minimum_pairs_is_allowed(time_cost, memory_kib):
    settings = Settings(argon2_time_cost=time_cost, argon2_memory_kib=memory_kib)
    assert (settings.argon2_time_cost, settings.argon2_memory_kib) == (time_cost, memory_kib)


def test_a_weak_cost_from_the_environment_is_refused(config, monkeypatch):
    monkeypatch.setenv("EASEIN_ARGON2_MEMORY_KIB", "1024")
    with pytest.raises(InvalidInput, match="OWASP"):
        get_settings()


def test_only_the_named_test_path_lowers_the_cost():
    from easein.settings import cheap_hashing_for_tests_only

    cheap = cheap_hashing_for_tests_only(Settings(pain_limit=3))
    assert (cheap.argon2_time_cost, cheap.argon2_memory_kib, cheap.argon2_parallelism) == (1, 64, 1)
    assert cheap.pain_limit == 3
    assert Settings().argon2_memory_kib == 65536  # the defaults are untouched


def test_the_api_docs_are_off_by_default(config):
    assert get_settings().api_docs is False
