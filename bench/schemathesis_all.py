"""schemathesis with every check it has, two peers, a fixed seed, 200+ examples per operation.

    python bench/schemathesis_all.py [--examples 200] [--seed 5] [--workers 1] [--only REGEX]

Issue 5. The same run as `schemathesis run --checks all --seed 5 --max-examples 200`
(all four phases: examples, coverage, fuzzing, stateful; positive and negative data),
driven through schemathesis' own engine in this process, so that:

- A and B are peers (the `[auth.wfc] peers` of the CLI): B sends every request with a
  personal access token, and `object_level_authorization` replays each of B's reads of
  B's own objects as A (and the other way), failing when a peer gets the object.
- A's data must never reach B: a custom check (`a_data_never_reaches_b`, registered like
  any `@schemathesis.check`, so part of "all") fails any response to B that carries A's
  marker or A's username, and A's export must be unchanged at the end.
- Fuzzing may sign B's token out (logout, token revocation): B's identity then signs in
  again and makes a new token, so later requests are not all 401s.

It starts the real server (uvicorn, in a thread, on a migrated SQLite copy, or on
PostgreSQL with EASEIN_TEST_DATABASE_URL set), prints one line per operation with the
number of examples it sent per phase and mode, then every failure, and exits 1 on any
failure, on an operation with fewer examples than `--examples` in a fuzzing mode (unless
the operation has no input to vary, see `FIXED_INPUT`), or on an engine error; 0 otherwise.
An operation the whole run sent too few examples to runs again alone afterwards (same
checks, seed, peers and modes, fuzzing without `extra-data-sources`) and its examples
add up: with its create operation in the run, schemathesis fills a DELETE's one path
parameter from the ids it saw created and stops when they run out (11 of 200 for
`DELETE /tokens/{token_id}`), while this way it draws the ids from the schema. The run
names the operations it topped up this way.

Exemptions (false positives for this app) are in `EXEMPT` below, each with its reason;
each narrows one check for named operations, statuses and error bodies (a `filter_failure`
hook), never a check as a whole, and the run prints how often each one was used.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import schemathesis  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402
from schemathesis.engine import Status, events, from_schema  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.wfc.escalation import EscalatingAuthProvider  # noqa: E402

MARKER = "A-SECRET-FULLFUZZ"
SIGN_IN_PATHS = ("/api/v1/auth/", "/api/v1/tokens", "/api/v1/account")


@dataclass(frozen=True)
class Exempt:
    """One check's failure that is not a defect here, for the operations it names."""

    check: str
    operation: str  # a regex on "METHOD /path"
    statuses: tuple[int, ...]
    body: str  # a regex the response body must match
    reason: str


# positive_data_acceptance sends requests the schema calls valid and expects a 2xx (or
# 401/403/404/409). These 422s are rules about the *values* that JSON Schema cannot say
# (or would say only by copying a database into the document); each names the rule's
# own error, so any other 422 from the same operation still fails.
_PASSWORD_CHECKED = (
    r"(DELETE /api/v1/account(/decoy|/totp)?|POST /api/v1/account/password"
    r"|POST /api/v1/account/totp(/recovery-codes)?|PUT /api/v1/account/decoy"
    r"|POST /api/v1/account/recovery-key)"
)
EXEMPT: list[Exempt] = [
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/import",
        (422,),
        r'"msg":"import: sessions\.\d+: unknown item ref ',
        "a session's items name items of the same document by their `ref`: a reference "
        "across the document, which JSON Schema cannot say",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/import",
        (422,),
        r'"msg":"import: plans\.\d+: [^"]*(Use a phrase such as|not a normalised schedule)',
        "a plan's schedule is a phrase read by a grammar (as for POST /plans)",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/(sessions|wear-timer)",
        (422,),
        r'"type":"(toy\.base_required|retired_item)"',
        "an item worn must have a flared base or handle and not be retired: a rule on the "
        "item the id names (safety), as for POST /sessions",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/account/recover",
        (422,),
        r'"type":"(recovery_key_malformed|password_is_username)"',
        "a recovery key is 56 Crockford base32 symbols with a checksum (typed with any "
        "spaces and dashes, so no pattern says it), and a new password may not be the "
        "username (two fields)",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/import",
        (422,),
        r'"msg":"import: [^"]*: Input should be a valid integer \(\d+ problem\(s\) in all\)"',
        "the import is strict like the rest of the API (no coercion): an integer is "
        "written 326, not 326.0 (positive data for an integer is integral, so only a "
        "number like 326.0 meets this here)",
    ),
    Exempt(
        "positive_data_acceptance",
        _PASSWORD_CHECKED,
        (422,),
        r'"msg":"(current_)?password is wrong"',
        "these operations ask for the person's password again; the schema can describe "
        "a password, not which one is theirs",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/accounts|POST /api/v1/account/(password|recover)",
        (422,),
        r"one of the most common passwords",
        "a deny list of common passwords is data, not schema",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/accounts|PATCH /api/v1/profile|POST /api/v1/import",
        (422,),
        r'"type":"unknown_timezone"',
        "a time zone must be an IANA name (tzdata, ~600 names that change with releases); "
        "the schema keeps a string",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/notification-channels",
        (422,),
        r'"loc":\["body","url"\]',
        "a channel URL must be one Apprise can send to (its schemes are Apprise's, not ours)",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/plans",
        (422,),
        r'"loc":\["body","schedule"\]',
        "a schedule is a phrase ('nightly', 'mon,wed,fri') read by a grammar",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/status/cleared",
        (422,),
        r'"type":"confirmation_required"',
        "lifting a medical hold needs confirm=true on purpose: false is well formed and "
        "answered with why",
    ),
    Exempt(
        "positive_data_acceptance",
        r"PUT /api/v1/notification-settings",
        (422,),
        r"quiet hours (must|need)",
        "quiet hours compare two fields (start and end differ, both or neither)",
    ),
    Exempt(
        "positive_data_acceptance",
        r"(POST|PATCH) /api/v1/toys.*",
        (422,),
        r"neck must not be wider than the diameter",
        "an item's neck compares two fields (it cannot be wider than its widest part)",
    ),
    Exempt(
        "positive_data_acceptance",
        r"(POST|PATCH) /api/v1/toys.*",
        (422,),
        r'"loc":\["body","base"\]',
        "an item's base depends on its kind (a hand's is 'body', a plug needs flared, "
        "handle or none): a rule across two fields",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/accounts",
        (422,),
        r'"type":"(adult_required|password_is_username)"|"msg":"username: 3-64 letters',
        "adult=false is well formed and refused with why; a password may not be the "
        "username (two fields); a username is 3-64 Unicode letters or digits "
        "(str.isalnum) or ._-, which an ECMA-262 pattern cannot say",
    ),
    Exempt(
        "positive_data_acceptance",
        r"POST /api/v1/invitations/accept",
        (422,),
        r'"type":"own_invitation',
        "the fuzzer learns B's own invitation code and sends it back: accepting one's own "
        "invitation is refused by rule",
    ),
    Exempt(
        "positive_data_acceptance",
        r".*",
        (422,),
        r"is outside 1970-01-01\.\.2999-12-31",
        "days are kept between 1970 and 2999; JSON Schema has no range for `format: date`",
    ),
    Exempt(
        "positive_data_acceptance",
        r".*",
        (422,),
        r'^\{"detail":\[(\{"type":"int_type","loc":\[[^]]*\],'
        r'"msg":"Input should be a valid integer","input":-?\d+\.0\},?)+\]\}$',
        "JSON Schema counts 326.0 as an integer; the API's models are strict on purpose "
        "(no coercion: '326' and 326.5 are refused too), so an integer is written 326",
    ),
    Exempt(
        "positive_data_acceptance",
        r"GET /api/v1/(report|sessions)",
        (422,),
        r"is before from",
        "a period's end may not come before its start: a rule across two parameters",
    ),
    Exempt(
        "positive_data_acceptance",
        r".*\{session_id\}.*",
        (422,),
        r'"loc":\["path","session_id"\],"msg":"Input should be a valid integer, unable to '
        r'parse string as an integer","input":"None"',
        "stateful phase: a link schemathesis infers puts a null from a response "
        "(a check-in's session_id) into the path as the text 'None': not valid data",
    ),
    Exempt(
        "unsupported_method",
        r"POST /api/v1/invitations/accept",
        (422,),
        r'"input":"accept"',
        "DELETE /invitations/accept fits DELETE /invitations/{invitation_id}, and 'accept' "
        "is refused as an id (422) before any method is looked at",
    ),
]
EXEMPTED: dict[str, Counter[str]] = defaultdict(Counter)


class Renewing:
    """An auth provider for one person's bearer token that makes a new one when it dies."""

    def __init__(self, clients: Any, user: Any, name: str, clock: Any) -> None:
        self.clients, self.user, self.name, self.clock = clients, user, name, clock
        self.token = self._mint()
        self.stale = False
        self.lock = threading.Lock()
        self.renewals = 0

    def _mint(self) -> str:
        """Sign in and make a token. The fuzzer tries wrong passwords for B's (learnt)
        username, and the server then refuses B's sign-ins for a while (429): the server's
        clock is a fake one, so move it on past that pause."""
        for _ in range(48):
            client = self.clients.anonymous().client
            done = client.post(
                "/api/v1/auth/login",
                json={"username": self.user.username, "password": self.user.password},
            )
            if done.status_code == 429:
                self.clock.advance(hours=1)
                continue
            assert done.status_code == 200, done.text
            client.headers["X-CSRF-Token"] = done.json()["csrf_token"]
            made = client.post("/api/v1/tokens", json={"name": f"fuzz {self.name}"})
            assert made.status_code == 201, made.text
            return str(made.json()["token"])
        raise RuntimeError(f"{self.name} could not sign in again")

    def get(self, case: Any, context: Any) -> str:
        with self.lock:
            if self.stale:
                self.stale = False
                still = self.clients.anonymous().get(
                    "/api/v1/profile", headers={"Authorization": f"Bearer {self.token}"}
                )
                if still.status_code == 401:
                    self.token = self._mint()
                    self.renewals += 1
            return self.token

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


class Watch:
    """Counts what was sent, and fails a response to B that carries A's data.

    The fuzzer learns values from every response it sees, A's included (the replays of
    `object_level_authorization` are sent as A), and may send them back as B: B may
    then name a toy "A-SECRET... plug" and read that name back. What B wrote itself is
    not a leak, so the strings B sent are taken out of a response before it is searched.
    """

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = defaultdict(set)  # "label|phase|mode" -> case ids
        self.sent: set[str] = set()  # strings carrying A's marker or name that B sent
        self.mode = "positive"
        self.b: Renewing | None = None
        self.a_words: tuple[str, ...] = (MARKER,)

    def after_response(self, ctx: Any, response: Any, case: Any) -> None:
        meta = case.meta
        phase = meta.phase.name.value if meta is not None else "explicit"
        # the pass's mode (`--mode`): where a part cannot be made invalid (a path with
        # only an id), the negative pass sends some requests that are valid
        self.seen[f"{case.operation.label}|{phase}|{self.mode}"].add(case.id)
        if self.b is not None and (
            response.status_code == 401
            or (case.method != "GET" and case.path.startswith(SIGN_IN_PATHS))
        ):
            self.b.stale = True  # make sure B still has a working token
        self._remember(response.request)
        text = _readable(response)
        for sent in sorted(self.sent, key=len, reverse=True):
            text = text.replace(sent, "").replace(json.dumps(sent)[1:-1], "")
        for word in self.a_words:
            if word in text:
                at = text.index(word)
                raise AssertionError(f"A's data reached B: ...{text[max(0, at - 80) : at + 80]}")

    def _remember(self, request: Any) -> None:
        """Note the strings with A's words in them that B sent (body, query, path)."""
        body = request.body or b""
        raw = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        url = unquote_plus(str(request.url))
        if not any(w in raw or w in url for w in self.a_words):
            return
        try:
            values = list(_strings(json.loads(raw))) if raw else []
        except ValueError:
            values = [raw]
        values += [url, *url.split("?", 1)[-1].split("&"), *url.split("/")]
        for value in values:
            if any(w in value for w in self.a_words):
                self.sent.update({value, value.strip()})


def _strings(value: Any) -> Any:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _readable(response: Any) -> str:
    """What a person reads in `response`: a PDF's text, else the body."""
    kind = response.headers.get("content-type", [""])
    if "application/pdf" in str(kind):
        import io

        import pypdf

        pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(page.extract_text() for page in pages)
    return response.text or ""


WATCH = Watch()
TIMES: Counter[str] = Counter()
SKIPPED: Counter[str] = Counter()  # scenarios schemathesis skipped, per mode and phase


@schemathesis.check
def a_data_never_reaches_b(ctx: Any, response: Any, case: Any) -> bool | None:
    """Fail any response to B carrying A's marker or username; count the examples sent."""
    WATCH.after_response(ctx, response, case)
    return None


def _database(directory: Path) -> Any:
    """A migrated database for this run: (url, cleanup)."""
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from easein.store.db import make_engine
    from easein.store.migrations import upgrade

    pg = os.environ.get("EASEIN_TEST_DATABASE_URL", "")
    if not pg:
        url = f"sqlite:///{directory / 'fuzz.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url, lambda: None
    name = f"easein_fuzz_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def _config(
    url: str, examples: int, seed: int, workers: int, mode: GenerationMode, *, learned: bool = True
) -> Any:
    """`schemathesis run URL --checks all --seed SEED --max-examples N --mode MODE`; without
    `learned`, as with `[phases.fuzzing.extra-data-sources] responses = false`."""
    config = SchemathesisConfig.from_dict(
        {} if learned else {"phases": {"fuzzing": {"extra-data-sources": {"responses": False}}}}
    )  # no schemathesis.toml: all of it is here
    config.update(seed=seed, max_failures=None)
    project = config.projects.override
    project.update(base_url=url, workers=workers)
    project.checks.update(included_check_names=["all"])
    project.generation.update(modes=[mode], max_examples=examples, database="none")
    project.phases.update(phases=["examples", "coverage", "fuzzing", "stateful"])
    return config


def _exempt(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """`filter_failure` hook: keep a failure unless an entry of `EXEMPT` covers it."""
    checks = type(failure).checks  # the checks that report this kind of failure
    body = (response.text or "") if response is not None else ""
    for entry in EXEMPT:
        if (
            entry.check in checks
            and re.fullmatch(entry.operation, case.operation.label)
            and (response is not None and response.status_code in entry.statuses)
            and re.search(entry.body, body)
        ):
            EXEMPTED[entry.reason][case.operation.label] += 1
            return False
    return True


def run(examples: int, seed: int, workers: int, only: str | None) -> int:
    import os

    os.environ.setdefault("EASEIN_CONFIG", "/nonexistent/easein-fuzz.toml")
    from tests.api.conftest import Clients, openapi_document
    from tests.api.conftest import seed as seed_user
    from tests.conftest import FakeClock, fast_hashing, serving

    from easein.settings import Settings

    started = time.monotonic()
    failures: list[str] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        url, cleanup = _database(Path(tmp))
        try:
            settings = fast_hashing(Settings(database_url=url))
            with serving(settings, FakeClock()) as server:
                clients = Clients(server.url)
                a = clients.sign_up("peer-a", "A passphrase for fuzzing")
                seed_user(a, MARKER)
                b = clients.sign_up("peer-b", "B passphrase for fuzzing")
                seed_user(b, "B-fuzz")
                WATCH.a_words = (MARKER, str(a.username))
                b_auth = Renewing(clients, b, "B", server.clock)
                a_auth = Renewing(clients, a, "A", server.clock)
                a_export = a.export()  # after A's token for the replays was made
                WATCH.b = b_auth
                document = openapi_document()
                setup = time.monotonic() - started
                auth = (b_auth, a_auth)
                run_pass = partial(_pass, server.url, document, examples, seed, workers, auth)
                for event_failures, event_errors in run_pass({"path_regex": only} if only else {}):
                    failures.extend(event_failures)
                    errors.extend(event_errors)
                # An operation that the whole run starved (schemathesis fills a DELETE's id
                # from the ids it saw created, and stops when they run out) runs again
                # alone, with the same checks, seed and modes, its ids drawn from the
                # schema instead of from responses; its examples add up.
                topped_up = _short(examples)
                for label in topped_up:
                    for event_failures, event_errors in run_pass({"name": label}, learned=False):
                        failures.extend(event_failures)
                        errors.extend(event_errors)
                if a.export() != a_export:
                    failures.append("A's data changed during the run (B changed A's data)")
                clients.close()
        finally:
            cleanup()
    elapsed = time.monotonic() - started
    short = _report(examples)
    print(
        f"\nsetup {setup:.0f} s, total {elapsed:.0f} s; B's token renewed {b_auth.renewals} times"
    )
    print("seconds per mode and phase: " + ", ".join(f"{k} {v:.0f}" for k, v in TIMES.items()))
    print(
        "scenarios skipped by schemathesis (no examples in the schema; stateful scenarios "
        "it found nothing to chain): " + ", ".join(f"{k} {v}" for k, v in SKIPPED.items())
    )
    for reason, hits in EXEMPTED.items():
        print(f"EXEMPT {sum(hits.values())} failure(s): {reason}: {dict(hits)}")
    if topped_up:
        print("run again alone, the whole run having sent too few: " + ", ".join(topped_up))
    for line in sorted(set(failures)):
        print(f"FAIL {line}")
    for line in errors:
        print(f"ERROR {line}")
    print(
        f"{len(set(failures))} failure(s), {len(errors)} error(s), "
        f"{len(short)} operation(s) with fewer than {examples} examples in a fuzzing mode"
    )
    return 1 if failures or errors or short else 0


def _pass(
    url: str,
    document: dict[str, Any],
    examples: int,
    seed: int,
    workers: int,
    auth: tuple[Any, Any],
    include: dict[str, str],
    *,
    learned: bool = True,
) -> Any:
    """Run every phase over the operations `include` selects, once per generation mode;
    yield each finished scenario's failures and errors. Without `learned`, fuzzing draws
    path parameters from the schema only, not from values seen in responses."""
    b_auth, a_auth = auth
    # One pass per mode, so that each mode gets `examples` (one pass with both modes
    # draws either mode per example and splits the budget unevenly).
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        WATCH.mode = mode.value
        config = _config(url, examples, seed, workers, mode, learned=learned)
        # a copy: schemathesis adds the links it infers to the document it is given
        schema = schemathesis.openapi.from_dict(copy.deepcopy(document), config=config)
        if include:
            schema = schema.include(**include)
        schema.hook("filter_failure")(_exempt)
        # B sends every request (pinned); A is loaded for the replays of
        # object_level_authorization only: the CLI's `[auth.wfc]` with `user = "B"` and
        # `peers = ["A", "B"]`.
        schema.auth.providers.append(
            EscalatingAuthProvider([b_auth, a_auth], ["B", "A"], peers=("A", "B"), pinned="B")
        )
        for event in from_schema(schema).execute():
            found: list[str] = []
            broken: list[str] = []
            if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
                found = _failures(event)
                where = f"{mode.value} {event.phase.value} {event.label or '-'}"
                if event.status is Status.ERROR:
                    broken.append(f"{where}: error")
                elif event.status is Status.SKIP:  # reported, never a pass
                    SKIPPED[f"{mode.value} {event.phase.value}"] += 1
                TIMES[f"{mode.value}/{event.phase.value}"] += event.elapsed_time
            elif isinstance(event, (events.NonFatalError, events.FatalError)):
                broken.append(_error(event))
            yield found, broken


def _failures(event: Any) -> list[str]:
    found = []
    for case_id, checks in event.recorder.checks.items():
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info is not None:
                failure = check.failure_info.failure
                node = event.recorder.cases.get(case_id)
                case = node.value if node is not None else None
                response = event.recorder.find_response(case_id=case_id)
                where = f"{case.method} {case.formatted_path}" if case is not None else "?"
                status = response.status_code if response is not None else "-"
                body = (response.text or "")[:160] if response is not None else ""
                found.append(
                    f"[{event.phase.value}] {event.label}: {check.name}: {failure.title} "
                    f"({where} -> {status}) {body}"
                )
    return found


def _error(event: Any) -> str:
    label = getattr(event, "label", None) or getattr(event, "phase", "")
    return f"{label}: {getattr(event, 'info', None) or getattr(event, 'exception', event)}"


# No parameter, no body, no sign-in: there is one request to send, and Hypothesis stops
# once it has sent it (it does not repeat an example), so 200 cannot be reached.
FIXED_INPUT = {"GET /api/v1/health"}


def _table() -> dict[str, Counter[str]]:
    """Examples sent, by operation, then by phase/mode."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for key, ids in WATCH.seen.items():
        label, phase, mode = key.split("|")
        table[label][f"{phase}/{mode}"] += len(ids)
    return table


def _short(examples: int) -> list[str]:
    """The operations with fewer than `examples` in a fuzzing mode (and some input)."""
    short = []
    for label, row in sorted(_table().items()):
        fuzz = [row.get(f"fuzzing/{m.value}", 0) for m in GenerationMode]
        if min(fuzz) < examples and label not in FIXED_INPUT:
            short.append(label)
    return short


def _report(examples: int) -> list[str]:
    """Print examples per operation, phase and mode; return operations short of `examples`."""
    table = _table()
    columns = sorted({c for row in table.values() for c in row})
    print("examples sent per operation: " + ", ".join(columns))
    for label in sorted(table):
        row = table[label]
        print(f"{label:70} " + " ".join(f"{row.get(c, 0):5}" for c in columns))
    return _short(examples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", help="a path regex: fuzz only these operations")
    args = parser.parse_args(argv)
    return run(args.examples, args.seed, args.workers, args.only)


if __name__ == "__main__":
    sys.exit(main())
