"""One settings class: defaults < TOML file < EASEIN_* environment < command-line flags.

The TOML file is `EASEIN_CONFIG` if set, else `config.toml` in the user config
directory. `easein config show` prints the effective values.

This is a frozen dataclass read with `tomllib` and `os.environ` rather than
pydantic-settings: the command line must start in about 1.4 times the import
time of SQLAlchemy's ORM and Typer, and pydantic-settings alone cost a third
of that budget. The contract is the same: typed fields, help text, one
documented precedence, unknown names refused.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import MISSING, Field, asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from easein.domain.errors import InvalidInput

APP_NAME = "easein"
ENV_PREFIX = "EASEIN_"


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


# OWASP Password Storage Cheat Sheet: Argon2id with one of these (memory in KiB, passes),
# equally strong; more memory or more passes is stronger still.
ARGON2_MINIMUMS = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))
# Below every minimum: a hash in well under a millisecond. Tests only.
TEST_ONLY_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}


def setting(default: Any, help: str) -> Any:
    """Declare a setting with its default and its help text."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Every setting of EaseIn. Each has a default and help text (documented in README)."""

    database_url: str | None = setting(
        None,
        "SQLAlchemy URL or SQLite file path; default: easein.db in the user data directory. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    pain_limit: int = setting(4, "Hold or advance only below this pain (1-6, /10).")
    sessions_to_advance: int = setting(
        3, "Comfortable sessions at a size before the next one (2-10)."
    )
    min_days_at_size: int = setting(7, "Those sessions must span at least this many days (3-60).")
    max_step_percent: float = setting(
        15.0, "The next item may be at most this much larger in diameter (5-25 %)."
    )
    rest_days_after_spotting: int = setting(
        3, "Days of rest after a session with a little blood (2-14)."
    )
    acute_pain: int = setting(
        7, "Pain at or above this means see a doctor (5-8, above pain_limit)."
    )
    busy_timeout_ms: int = setting(
        5000, "How long a SQLite write waits for another writer (milliseconds)."
    )
    debug: bool = setting(False, "Show tracebacks for unexpected errors.")
    key_file: str = setting(
        "",
        "The installation key that seals every payload (AES-256-GCM); empty: easein.key in "
        "the user data directory. Made on first start. Keep it out of the database's folder "
        "on a server, and never lose it: without it the data cannot be read.",
    )
    sqlcipher: bool = setting(
        False,
        "Encrypt the whole SQLite file with SQLCipher (keyed from key_file), so that not even "
        "dates, sizes or user names can be read from it. SQLite only. An existing plain "
        "database is converted once with `easein db encrypt`.",
    )
    argon2_time_cost: int = setting(
        3, "Argon2id passes per password hash (OWASP: 2 with 19456 KiB, 1 with 47104 KiB)."
    )
    argon2_memory_kib: int = setting(
        65536, "Argon2id memory per password hash, in KiB (at least OWASP's minimum: 19456)."
    )
    argon2_parallelism: int = setting(4, "Argon2id lanes per password hash (at least 1).")
    session_idle_days: int = setting(14, "A browser sign-in ends after this many days without use.")
    session_max_days: int = setting(90, "A sign-in ends this many days after it began, at most.")
    login_max_failures: int = setting(
        5, "Failed sign-ins for one name before further tries get HTTP 429."
    )
    login_window_minutes: int = setting(15, "The window those failures are counted in.")
    secure_cookies: bool = setting(
        False, "Mark cookies Secure: set true when EaseIn is served over https."
    )
    api_docs: bool = setting(
        False,
        "Serve the interactive API docs at /docs and /redoc. They load Swagger UI and ReDoc "
        "from a CDN into EaseIn's pages: for development, not for a server with real data.",
    )
    backup_dir: str = setting(
        "",
        "Folder for automatic encrypted backups (e.g. a Syncthing or Nextcloud folder); "
        "empty: off. Made by `easein backup --scheduled` (cron).",
    )
    backup_every_hours: int = setting(
        24, "An automatic backup is made when the newest one is this many hours old (1-8760)."
    )
    backup_keep: int = setting(7, "Automatic backups kept in backup_dir; older ones are deleted.")
    backup_recipient: str = setting(
        "",
        "age public key (age1...) automatic backups are encrypted to; required with backup_dir. "
        "Also the default of `easein backup`.",
    )

    notify_scheduler: bool = setting(
        True,
        "Send reminders and notifications from inside `easein serve` (each worker process "
        "runs a scheduler; they never send the same one twice). Set false when "
        "`easein worker` runs on its own.",
    )
    notify_interval_seconds: int = setting(
        30, "How often the scheduler and `easein worker` look for what is due (5-3600 s)."
    )
    notify_allow_private_hosts: bool = setting(
        True,
        "Let notification channels send to loopback and private-network addresses (a Gotify "
        "or ntfy on your own network). Set false on a server shared with people you do not "
        "trust: a channel URL makes the server send to the address in it.",
    )
    push_contact: str = setting(
        "mailto:easein@example.org",
        "How the push services of browsers (Google, Mozilla, Apple) can reach whoever runs "
        "this server, sent with every Web Push message: mailto:you@example.org or an https:// "
        "site (no path). The default is a placeholder: set your own.",
    )

    def __post_init__(self) -> None:
        check_hashing_cost(self.argon2_time_cost, self.argon2_memory_kib, self.argon2_parallelism)
        if not 5 <= self.notify_interval_seconds <= 3600:
            raise InvalidInput(
                "notify_interval_seconds must be from 5 to 3600", field="notify_interval_seconds"
            )
        check_backup_settings(self)
        check_sqlcipher(self)
        check_push_contact(self.push_contact)

    def resolved_database_url(self) -> str:
        """Return the SQLAlchemy URL: a plain path becomes a SQLite URL."""
        raw = self.database_url
        if not raw:
            return f"sqlite:///{default_data_dir() / 'easein.db'}"
        if "://" in raw:
            return raw
        return f"sqlite:///{Path(raw).expanduser().absolute()}"

    def resolved_key_file(self) -> Path:
        """Return where the installation key lives."""
        if self.key_file:
            return Path(self.key_file).expanduser().absolute()
        return default_data_dir() / "easein.key"

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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_sqlcipher(settings: Settings) -> None:
    """Raise if SQLCipher is asked for a database that is not a SQLite file."""
    raw = settings.database_url or ""
    # The URL's scheme, as SQLAlchemy reads it ("sqlite+pysqlite" is SQLite too), without
    # importing SQLAlchemy: settings are read before anything heavy is loaded.
    backend = raw.split("://", 1)[0].split("+", 1)[0].lower() if "://" in raw else "sqlite"
    if settings.sqlcipher and backend != "sqlite":
        raise InvalidInput(
            f"sqlcipher = true encrypts a SQLite file, but database_url is {backend}: set "
            "sqlcipher = false (a PostgreSQL server is protected by its own disk encryption)",
            field="sqlcipher",
        )


def check_hashing_cost(time_cost: int, memory_kib: int, parallelism: int) -> None:
    """Raise unless the Argon2id cost is at or above one of OWASP's minimum configurations."""
    if parallelism < 1:
        raise InvalidInput("argon2_parallelism must be at least 1", field="argon2_parallelism")
    if not any(memory_kib >= m and time_cost >= t for m, t in ARGON2_MINIMUMS):
        options = ", ".join(f"{m} KiB with {t} passes" for m, t in ARGON2_MINIMUMS)
        raise InvalidInput(
            f"argon2_memory_kib = {memory_kib} with argon2_time_cost = {time_cost} is below "
            f"OWASP's minimum for Argon2id; use at least {options}",
            field="argon2_memory_kib" if time_cost >= 2 else "argon2_time_cost",
        )


# What pywebpush's VAPID library signs (py_vapid's `_check_sub`, a little stricter): an
# email address, or an https origin with no path. Anything else would fail every send.
PUSH_CONTACT = re.compile(
    r"mailto:[^@\s]+@(localhost|[\w-]+(\.[\w-]+)+)|https://(localhost|[\w-]+\.[\w.-]+)"
)


def check_push_contact(contact: str) -> None:
    """Raise unless `contact` is a VAPID contact: a mailto: address or an https: site."""
    if not PUSH_CONTACT.fullmatch(contact):
        raise InvalidInput(
            f"push_contact = {contact!r} is not a contact that push services accept: write "
            "mailto: and an email address (mailto:you@example.org), or an https:// site "
            "without a path (https://example.org)",
            field="push_contact",
        )


AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")


def check_backup_settings(settings: Settings) -> None:
    """Raise unless automatic backups, when on, can be made and are encrypted."""
    if not 1 <= settings.backup_every_hours <= 8760:
        raise InvalidInput("backup_every_hours must be 1-8760", field="backup_every_hours")
    if settings.backup_keep < 1:
        raise InvalidInput("backup_keep must be at least 1", field="backup_keep")
    recipient = settings.backup_recipient.strip()
    if recipient and not AGE_RECIPIENT.fullmatch(recipient):
        raise InvalidInput(
            f"backup_recipient = {recipient[:12]!r}... is not an age public key "
            "(age1 followed by 58 letters and digits; `age-keygen -y KEYFILE` prints it)",
            field="backup_recipient",
        )
    if settings.backup_dir.strip() and not recipient:
        raise InvalidInput(
            "backup_dir is set but backup_recipient is not: automatic backups are always "
            "encrypted; set backup_recipient to an age public key (age1...)",
            field="backup_recipient",
        )


def cheap_hashing_for_tests_only(settings: Settings) -> Settings:
    """Return `settings` with password hashing far below the minimums: for tests, never data.

    The only way past `check_hashing_cost`: neither the TOML file, the environment
    nor a flag can reach it. Hashes made this way are redone with the real
    parameters at the next sign-in under normal settings.
    """
    cheap = replace(settings)
    for name, value in TEST_ONLY_HASHING.items():
        object.__setattr__(cheap, name, value)  # frozen: bypassed on purpose, here only
    return cheap


def setting_fields() -> dict[str, Field[Any]]:
    """Return every setting by name, with its default and help text (`.metadata['help']`)."""
    return {f.name: f for f in fields(Settings)}


def _kind(f: Field[Any]) -> str:
    default = f.default if f.default is not MISSING else None
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    return "str"


def _coerce(name: str, value: Any, source: str) -> Any:
    """Return `value` as the type of setting `name`, or raise naming the source."""
    f = setting_fields()[name]
    kind = _kind(f)
    problem = f"{source}: {name} = {value!r} is not "
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise InvalidInput(problem + "true or false", field=name)
    if kind == "int":
        if isinstance(value, bool):
            raise InvalidInput(problem + "a whole number", field=name)
        try:
            return int(str(value).strip())
        except ValueError:
            raise InvalidInput(problem + "a whole number", field=name) from None
    if kind == "float":
        if isinstance(value, bool):
            raise InvalidInput(problem + "a number", field=name)
        try:
            return float(str(value).strip())
        except ValueError:
            raise InvalidInput(problem + "a number", field=name) from None
    if not isinstance(value, str):
        raise InvalidInput(problem + "text", field=name)
    return value


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(f"cannot read settings from {path}: {error}", field="config") from None
    known = setting_fields()
    for name in data:
        if name not in known:
            raise InvalidInput(
                f"{path}: unknown setting {name!r}; known: {', '.join(known)}", field=name
            )
    return {name: _coerce(name, value, str(path)) for name, value in data.items()}


def _from_environment() -> dict[str, Any]:
    values = {}
    for name in setting_fields():
        raw = os.environ.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = _coerce(name, raw, ENV_PREFIX + name.upper())
    return values


def get_settings(**overrides: Any) -> Settings:
    """Return the settings from every source, with `overrides` (command-line flags) on top."""
    values = _from_toml(default_config_file())
    values.update(_from_environment())
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
