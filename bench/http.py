"""Requests/s and latency of the real server: Today page, status API, stats API vs health.

    python bench/http.py [--db PATH] [--duration 10] [--warmup 2] [--rounds 1]
                         [--connections 32] [--threads 2] [--json] [--profile DIR]

Copies the seed database (bench/seed.py) to a temporary file, gives its trainee
an account ("bench"), starts `easein --db COPY serve --workers 1` on a free
loopback port, signs in through the API (session cookie + CSRF token) and
creates a personal access token. Then wrk (32 connections, 2 threads) loads
each endpoint for a warm-up and a measured run, one after the other: the Today
page (`GET /`, with the cookie), `GET /api/v1/status` and `GET /api/v1/stats`
(with the token) and `GET /api/v1/health` (no database, no sign-in), the floor.

Targets (issue 3, "Performance"), as a share of health's requests/s in the same
run: status >= 30 % with p99 < 50 ms; Today >= 15 %; stats >= 10 %. A benchmark
reports: it exits 0 either way (2 when wrk is missing, 1 when the server does
not start). `--profile DIR` then loads each endpoint again under py-spy and
prints where the server's time goes (collapsed stacks are kept in DIR).

wrk comes from Debian: `apt-get install -y wrk`. py-spy from PyPI:
`pip install py-spy` (in the project's environment).
"""

from __future__ import annotations

import sys

if __name__ == "http":  # pragma: no cover - only when bench/ is on sys.path
    # This file shadows the standard library's `http` package for any script that
    # puts bench/ on sys.path (engine.py does, to import seed). Whoever imports
    # `http` then gets the real package, loaded in this module's place.
    import importlib.util as _util
    import os as _os

    _pkg = _os.path.join(_os.path.dirname(_os.__file__), "http")
    _spec = _util.spec_from_file_location(
        "http", _os.path.join(_pkg, "__init__.py"), submodule_search_locations=[_pkg]
    )
    assert _spec is not None
    assert _spec.loader is not None
    _real = _util.module_from_spec(_spec)
    sys.modules["http"] = _real
    _spec.loader.exec_module(_real)
elif __name__ == "__main__":
    # Run as a script, bench/ is sys.path[0]: take it out so that `http.client`
    # (urllib, below) is the standard library's and not this file.
    import os as _os

    _here = _os.path.dirname(_os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if _os.path.abspath(p or _os.curdir) != _here]

import argparse
import importlib.util
import json
import os
import platform
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
USERNAME = "bench"
PASSWORD = "bench-http-password"  # a throwaway account in a temporary copy
COOKIE = "easein_session"
API = "/api/v1"
HOST = "127.0.0.1"

# name -> (path, auth, min share of health's requests/s, p99 limit in ms or None)
ENDPOINTS: dict[str, tuple[str, str, float | None, float | None]] = {
    "health": (f"{API}/health", "none", None, None),
    "status": (f"{API}/status", "api", 0.30, 50.0),
    "today": ("/", "cookie", 0.15, None),
    "stats": (f"{API}/stats", "api", 0.10, None),
}

INSTALL_WRK = "wrk is needed: `apt-get install -y wrk` (Debian/Ubuntu), `brew install wrk` (macOS)"

# wrk's Lua hook: one JSON line with the figures we need (latencies in microseconds).
DONE_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,'
    .. '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,'
    .. '"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def _load_seed() -> Any:
    """Import bench/seed.py by its path (bench/ is deliberately not on sys.path)."""
    if "seed" in sys.modules:
        return sys.modules["seed"]
    spec = importlib.util.spec_from_file_location("seed", HERE / "seed.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["seed"] = module
    spec.loader.exec_module(module)
    return module


def say(*args: Any) -> None:
    print(*args, file=sys.stderr, flush=True)


# --- the database -------------------------------------------------------------------


def copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database consistently (WAL included) with the backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def add_account(db: Path) -> int:
    """Give the seeded (local) person an account; return the person's id."""
    from easein.services.accounts import hasher
    from easein.services.app import open_app
    from easein.services.profile import local_profile
    from easein.settings import Settings
    from easein.store.account_models import AccountRow

    # Default settings, as the server (no config file, no EASEIN_* variables) has.
    app = open_app(Settings(database_url=str(db)))
    try:
        person = local_profile(app).person_id
        digest = hasher(app).hash(PASSWORD)
        now = app.now()
        with app.db.writing() as session:
            session.add(
                AccountRow(
                    person_id=person,
                    username=USERNAME,
                    password_hash=digest,
                    created_at=now,
                    password_changed_at=now,
                )
            )
    finally:
        app.close()
    return person


# --- the server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> tuple[int, dict[str, str], bytes, list[str]]:
    """One request on loopback: status, headers (last value wins), body, Set-Cookie values."""
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        sent = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=sent)
        resp = conn.getresponse()
        payload = resp.read()
        cookies = resp.msg.get_all("Set-Cookie") or []
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload, cookies
    finally:
        conn.close()


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    started_s: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_server(easein: str, db: Path, workdir: Path, timeout_s: float = 60.0) -> Server:
    """Start `easein --db DB serve --workers 1` and wait until health answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EASEIN_")}
    env["EASEIN_CONFIG"] = str(workdir / "no-config.toml")  # does not exist: defaults
    log = workdir / "server.log"
    began = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                easein,
                "--db",
                str(db),
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=workdir,
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"the server exited ({process.returncode}):\n{server.log_tail()}")
        try:
            status, _, _, _ = request(port, "GET", f"{API}/health", timeout=2)
            if status == 200:
                server.started_s = time.perf_counter() - began
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"no answer from {API}/health in {timeout_s:g} s:\n{server.log_tail()}")


@dataclass
class Credentials:
    cookie: str
    csrf: str
    token: str


def sign_in(port: int) -> Credentials:
    """Log in through the API (cookie + CSRF token), then create a personal access token."""
    status, _, body, cookies = request(
        port, "POST", f"{API}/auth/login", body={"username": USERNAME, "password": PASSWORD}
    )
    if status != 200:
        raise RuntimeError(f"login: HTTP {status}: {body[:300]!r}")
    cookie = next(
        (c.split(";", 1)[0].split("=", 1)[1] for c in cookies if c.startswith(f"{COOKIE}=")), ""
    )
    if not cookie:
        raise RuntimeError(f"login: no {COOKIE} cookie in {cookies!r}")
    csrf = json.loads(body)["csrf_token"]
    status, _, body, _ = request(
        port,
        "POST",
        f"{API}/tokens",
        body={"name": "bench/http.py"},
        headers={"Cookie": f"{COOKIE}={cookie}", "X-CSRF-Token": csrf},
    )
    if status != 201:
        raise RuntimeError(f"token: HTTP {status}: {body[:300]!r}")
    return Credentials(cookie, csrf, json.loads(body)["token"])


def auth_headers(kind: str, creds: Credentials, api_auth: str) -> dict[str, str]:
    if kind == "cookie" or (kind == "api" and api_auth == "cookie"):
        return {"Cookie": f"{COOKIE}={creds.cookie}"}
    if kind == "api":
        return {"Authorization": f"Bearer {creds.token}"}
    return {}


# --- measuring ------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (0 if it is gone)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = raw.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine, from /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0, 0
    values = [int(v) for v in first[:8]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def wait_idle(pid: int, limit_s: float = 60.0, busy: float = 0.05) -> float:
    """Wait until the server has drained what an earlier run left queued; return the wait.

    wrk stops sending at the end of its run, but the requests already accepted
    (up to one per connection, plus the threadpool's queue) still run and would
    be charged to the next endpoint.
    """
    tick = os.sysconf("SC_CLK_TCK")
    began = time.monotonic()
    before = cpu_ticks(pid)
    while time.monotonic() - began < limit_s:
        time.sleep(0.25)
        now = cpu_ticks(pid)
        if (now - before) / tick / 0.25 < busy:
            break
        before = now
    return time.monotonic() - began


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    server_cpu: float  # cores used by the server on average
    wrk_cpu: float  # cores used by wrk
    other_cpu: float  # cores used by everything else on the machine
    server_cpu_ms_per_request: float


def wrk(
    url: str,
    headers: dict[str, str],
    seconds: float,
    args: argparse.Namespace,
    script: Path,
    server_pid: int,
) -> Run:
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        f"--timeout={args.request_timeout}s",
        "-s",
        str(script),
    ]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(url)
    tick = os.sysconf("SC_CLK_TCK")
    s0, m0, w0, t0 = cpu_ticks(server_pid), machine_ticks(), children_cpu_s(), time.monotonic()
    done = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=seconds + args.request_timeout + 30,
        check=False,
    )
    elapsed = time.monotonic() - t0
    s1, m1, w1 = cpu_ticks(server_pid), machine_ticks(), children_cpu_s()
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
    raw = json.loads(line[len("WRKJSON ") :])
    wall = raw["duration_us"] / 1e6
    server = (s1 - s0) / tick / elapsed
    wrk_cores = (w1 - w0) / elapsed
    cores_busy = (m1[0] - m0[0]) / max(1, m1[1] - m0[1]) * (os.cpu_count() or 1)
    return Run(
        requests=raw["requests"],
        seconds=round(wall, 2),
        rps=raw["requests"] / wall if wall else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors={k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]},
        server_cpu=round(server, 2),
        wrk_cpu=round(wrk_cores, 2),
        other_cpu=round(max(0.0, cores_busy - server - wrk_cores), 2),
        server_cpu_ms_per_request=(s1 - s0) / tick * 1000 / max(1, raw["requests"]),
    )


@dataclass
class Endpoint:
    name: str
    path: str
    auth: str
    min_share: float | None
    p99_limit_ms: float | None
    available: bool = True
    note: str = ""
    response_bytes: int = 0
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return float(statistics.median(getattr(r, attr) for r in self.runs))


def probe(port: int, ep: Endpoint, headers: dict[str, str]) -> None:
    """One request first: an endpoint that is not there (yet) is reported, not measured."""
    status, got, body, _ = request(port, "GET", ep.path, headers=headers)
    ep.response_bytes = len(body)
    if status == 200:
        return
    ep.available = False
    if status == 404:
        ep.note = "not available (404)"
    elif 300 <= status < 400:
        ep.note = f"not available (HTTP {status} to {got.get('location', '?')})"
    else:
        ep.note = f"not available (HTTP {status}: {body[:120].decode(errors='replace')})"


# --- profiling (py-spy) -----------------------------------------------------------------

# Frames matched from the leaf upwards: a sample goes to the first category that matches.
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "sqlite3 (C, query execution)",
        ("execute (sqlite3", "fetchall (sqlite3", "fetchone (sqlite3"),
    ),
    ("argon2 / hashing", ("argon2", "hashlib")),
    ("jinja2 templates", ("jinja2/", "<template>")),
    ("JSON encoding (fastapi/pydantic/json)", ("encoders.py", "json/", "serialize", "pydantic")),
    ("SQLAlchemy ORM", ("sqlalchemy/orm/",)),
    ("SQLAlchemy Core/engine/pool", ("sqlalchemy/",)),
    ("easein domain", ("easein/domain/",)),
    ("easein store (codec, records)", ("easein/store/",)),
    ("easein services", ("easein/services/",)),
    ("easein api/web/present", ("easein/api/", "easein/web/", "easein/present")),
    ("FastAPI routing/dependencies", ("fastapi/",)),
    ("starlette / anyio threadpool", ("starlette/", "anyio/")),
    ("uvicorn / asyncio / uvloop", ("uvicorn/", "asyncio/", "uvloop", "httptools")),
    ("threading / other", ("",)),
)


def _frames(stack: str) -> list[str]:
    # py-spy raw: "frame;frame;...;leaf COUNT", each frame "function (path:line)".
    return [f for f in stack.split(";") if f and not f.startswith(("process ", "thread "))]


def summarise_profile(raw: Path, top: int, gil: bool) -> dict[str, Any]:
    samples: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = _frames(stack)
        if not frames:
            continue
        total += count
        leaf[_short(frames[-1])] += count
        for name in {_short(f) for f in frames if "easein/" in f and "easein/cli/" not in f}:
            inclusive[name] += count
        for category, needles in CATEGORIES:
            if any(any(n in f for n in needles) for f in reversed(frames)):
                samples[category] += count
                break
    pct = (lambda n: round(100 * n / total, 1)) if total else (lambda n: 0.0)
    return {
        "samples": total,
        "sampled": "the thread holding the GIL" if gil else "every running thread",
        "categories": {k: pct(v) for k, v in samples.most_common()},
        "self": {k: pct(v) for k, v in leaf.most_common(top)},
        "inclusive": {k: pct(v) for k, v in inclusive.most_common(top)},
    }


def _short(frame: str) -> str:
    """'func (/venv/lib/.../site-packages/pkg/mod.py:12)' -> 'func (pkg/mod.py)'."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/src/", "lib/python3"):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{name} ({where})"


def profile_endpoint(
    ep: Endpoint,
    url: str,
    headers: dict[str, str],
    args: argparse.Namespace,
    script: Path,
    server: Server,
    out: Path,
    py_spy: str,
) -> dict[str, Any]:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}"]
    cmd += [f"-d{args.profile_seconds + 3}s", f"--timeout={args.request_timeout}s"]
    cmd += ["-s", str(script)]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    load = subprocess.Popen([*cmd, url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        raw = out / f"{ep.name}.txt"
        spy = subprocess.run(
            [
                *(py_spy, "record", "--pid", str(server.pid)),
                *("--duration", str(args.profile_seconds), "--rate", "200", "--nonblocking"),
                *("--format", "raw", "-o", str(raw)),
                *(["--gil"] if args.profile_gil else []),
            ],
            capture_output=True,
            text=True,
            timeout=args.profile_seconds + 60,
            check=False,
        )
    finally:
        load.wait(timeout=args.profile_seconds + args.request_timeout + 30)
        wait_idle(server.pid)
    if spy.returncode != 0 or not raw.is_file():
        return {"error": (spy.stderr or spy.stdout).strip()[-500:]}
    summary = summarise_profile(raw, args.profile_top, args.profile_gil)
    summary["file"] = str(raw)
    return summary


# --- the run ----------------------------------------------------------------------------


def verdict(ep: Endpoint, health_rps: float) -> dict[str, Any]:
    if not ep.available or not ep.runs:
        return {"available": False, "note": ep.note}
    rps, p99 = ep.median("rps"), ep.median("p99_ms")
    share = rps / health_rps if health_rps else 0.0
    result: dict[str, Any] = {
        "available": True,
        "path": ep.path,
        "auth": ep.auth,
        "rps": round(rps, 1),
        "p50_ms": round(ep.median("p50_ms"), 2),
        "p90_ms": round(ep.median("p90_ms"), 2),
        "p99_ms": round(p99, 2),
        "max_ms": round(ep.median("max_ms"), 2),
        "share_of_health": round(share, 4),
        "server_cpu_ms_per_request": round(ep.median("server_cpu_ms_per_request"), 3),
        "server_cpu_cores": round(ep.median("server_cpu"), 2),
        "wrk_cpu_cores": round(ep.median("wrk_cpu"), 2),
        "other_cpu_cores": round(ep.median("other_cpu"), 2),
        "response_bytes": ep.response_bytes,
        "errors": _sum_errors(ep.runs),
        "runs": [vars(r) for r in ep.runs],
    }
    if ep.min_share is not None:
        ok = share >= ep.min_share
        target = f">= {ep.min_share:.0%} of health"
        if ep.p99_limit_ms is not None:
            ok = ok and p99 < ep.p99_limit_ms
            target += f", p99 < {ep.p99_limit_ms:g} ms"
        result["target"] = target
        result["pass"] = ok and not result["errors"]
    return result


def _sum_errors(runs: list[Run]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for r in runs:
        total.update(r.errors)
    return dict(total)


def print_table(context: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    print(
        f"seed: {context['sessions']} sessions, {context['days']}; server: 1 uvicorn worker "
        f"(pid {context['server_pid']}); wrk -t{context['threads']} -c{context['connections']}, "
        f"{context['warmup_s']:g} s warm-up + {context['duration_s']:g} s x {context['rounds']}"
    )
    print(
        f"machine: {context['cpus']} CPUs; load average {context['load_average_1m_before']} "
        f"before, {context['load_average_1m_after']} after"
    )
    head = (
        f"{'endpoint':<8} {'path':<15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'% health':>8} {'cpu ms/req':>10} {'other cpu':>9}  {'target':<30} result"
    )
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        path = ENDPOINTS[name][0]
        if not r["available"]:
            print(f"{name:<8} {path:<15} {r['note']}")
            continue
        result = ("PASS" if r["pass"] else "MISS") if "pass" in r else ""
        if r["errors"]:
            result += f" errors {r['errors']}"
        print(
            f"{name:<8} {path:<15} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
            f"{100 * r['share_of_health']:>7.1f}% {r['server_cpu_ms_per_request']:>10.2f} "
            f"{r['other_cpu_cores']:>9.2f}  {r.get('target', '(the floor)'):<30} {result}"
        )
    print(
        "cpu ms/req: the server's CPU time per request; other cpu: cores busy with neither "
        "the server nor wrk (the noise of a shared machine)."
    )


def print_profiles(profiles: dict[str, dict[str, Any]]) -> None:
    for name, p in profiles.items():
        if "error" in p:
            print(f"\nprofile {name}: py-spy failed: {p['error']}")
            continue
        print(f"\nprofile {name}: {p['samples']} samples of {p['sampled']} (py-spy) -> {p['file']}")
        print("  where (first match from the leaf up):")
        for k, v in p["categories"].items():
            print(f"    {v:5.1f}%  {k}")
        print("  self time:")
        for k, v in p["self"].items():
            print(f"    {v:5.1f}%  {k}")
        print("  inclusive (easein's code):")
        for k, v in p["inclusive"].items():
            print(f"    {v:5.1f}%  {k}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    seed = _load_seed()
    parser.add_argument("--db", type=Path, default=seed.DEFAULT_PATH, help="seed database")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per endpoint")
    parser.add_argument("--rounds", type=int, default=1, help="rounds (order rotates); medians")
    parser.add_argument(
        "--endpoints",
        default=",".join(ENDPOINTS),
        help="comma-separated subset to measure (health, the reference, is always measured)",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--request-timeout", type=int, default=30, help="wrk --timeout, s")
    parser.add_argument(
        "--api-auth",
        choices=("token", "cookie"),
        default="token",
        help="how the API endpoints sign in (the page always uses the cookie)",
    )
    parser.add_argument("--easein", default=None, help="the easein script (default: venv's)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="also profile with py-spy")
    parser.add_argument("--profile-seconds", type=int, default=8)
    parser.add_argument("--profile-top", type=int, default=15)
    parser.add_argument(
        "--profile-all-threads",
        dest="profile_gil",
        action="store_false",
        help="sample every running thread, not only the one holding the GIL",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    wanted = {"health", *(n.strip() for n in args.endpoints.split(",") if n.strip())}
    if wanted - set(ENDPOINTS):
        parser.error(
            f"--endpoints: unknown {sorted(wanted - set(ENDPOINTS))}; known {list(ENDPOINTS)}"
        )

    if shutil.which("wrk") is None:
        say(INSTALL_WRK)
        return 2
    py_spy = None
    if args.profile:
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        if not Path(py_spy).is_file():
            say("py-spy is needed for --profile: `pip install py-spy` (it needs ptrace rights)")
            return 2
    easein = args.easein or str(Path(sys.executable).with_name("easein"))
    if not Path(easein).is_file():
        easein = shutil.which("easein") or ""
    if not easein:
        say("the `easein` script was not found: `pip install -e .`, or pass --easein PATH")
        return 2

    path = seed.build(args.db, args.years, quiet=args.json)
    marker = seed.read_marker(path) or {}
    workdir = Path(tempfile.mkdtemp(prefix="easein-http-bench-"))
    server: Server | None = None
    try:
        db = workdir / "bench.db"
        copy_database(path, db)
        add_account(db)
        load_before = os.getloadavg()[0]
        server = start_server(easein, db, workdir)
        say(f"server pid {server.pid} on {HOST}:{server.port}, up in {server.started_s:.1f} s")
        creds = sign_in(server.port)

        endpoints = {
            name: Endpoint(name, p, auth, share, p99)
            for name, (p, auth, share, p99) in ENDPOINTS.items()
            if name in wanted
        }
        headers = {n: auth_headers(e.auth, creds, args.api_auth) for n, e in endpoints.items()}
        for name, ep in endpoints.items():
            probe(server.port, ep, headers[name])
            if not ep.available:
                say(f"{name}: {ep.note}")
        script = workdir / "done.lua"
        script.write_text(DONE_LUA)
        order = [n for n, e in endpoints.items() if e.available]
        base = f"http://{HOST}:{server.port}"
        for round_no in range(args.rounds):
            shift = round_no % len(order)
            for name in order[shift:] + order[:shift]:
                ep = endpoints[name]
                wait_idle(server.pid)
                if args.warmup > 0:
                    wrk(base + ep.path, headers[name], args.warmup, args, script, server.pid)
                run = wrk(base + ep.path, headers[name], args.duration, args, script, server.pid)
                ep.runs.append(run)
                say(
                    f"round {round_no + 1} {name}: {run.rps:.1f} req/s, p99 {run.p99_ms:.1f} ms"
                    + (f", errors {run.errors}" if run.errors else "")
                )
                if not server.alive():
                    raise RuntimeError(f"the server died:\n{server.log_tail()}")
        load_after = os.getloadavg()[0]

        health = endpoints["health"]
        health_rps = health.median("rps") if health.runs else 0.0
        results = {name: verdict(ep, health_rps) for name, ep in endpoints.items()}

        profiles: dict[str, dict[str, Any]] = {}
        if args.profile and py_spy:
            args.profile.mkdir(parents=True, exist_ok=True)
            for name in order:
                if name == "health":
                    continue
                wait_idle(server.pid)
                say(f"profiling {name} for {args.profile_seconds} s under load")
                profiles[name] = profile_endpoint(
                    endpoints[name],
                    base + endpoints[name].path,
                    headers[name],
                    args,
                    script,
                    server,
                    args.profile,
                    py_spy,
                )

        now = datetime.now(UTC)
        seed_now = datetime.fromisoformat(marker["now"]) if "now" in marker else None
        context = {
            "db": str(path),
            "sessions": int(marker.get("stretch", 0)) + int(marker.get("wear", 0)),
            "days": f"{marker.get('first_day')}..{marker.get('last_day')}",
            "seed_age_days": round((now - seed_now).total_seconds() / 86400, 1)
            if seed_now
            else None,
            "server_pid": server.pid,
            "server_start_s": round(server.started_s, 2),
            "workers": 1,
            "api_auth": args.api_auth,
            "connections": args.connections,
            "threads": args.threads,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
            "cpus": os.cpu_count(),
            "load_average_1m_before": round(load_before, 2),
            "load_average_1m_after": round(load_after, 2),
            "python": platform.python_version(),
            "wrk": subprocess.run(
                ["wrk", "-v"], capture_output=True, text=True, check=False
            ).stdout.split("\n")[0],
        }
    except RuntimeError as exc:
        say(f"error: {exc}")
        return 1
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    if args.json:
        print(json.dumps({"context": context, "results": results, "profiles": profiles}, indent=2))
    else:
        print_table(context, results)
        if context["seed_age_days"] and context["seed_age_days"] > 3:
            print(
                f"note: the seed was made for {context['seed_age_days']} days ago; the server "
                "runs on the real clock (rebuild: python bench/seed.py --force)"
            )
        print_profiles(profiles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
