"""A real HTTP endpoint on loopback that Apprise's json:// posts to, recording each arrival.

Every arrival is kept with its path, its JSON body and the injected clock's time
when it came in, so that tests can check what arrived, how many times, and when.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Arrival:
    path: str
    title: str
    message: str
    at: datetime  # the injected clock's time when it arrived


@dataclass
class Receiver:
    port: int
    clock: Callable[[], datetime]
    arrivals: list[Arrival] = field(default_factory=list)
    fail_next: int = 0  # answer 500 to this many posts first
    delay: float = 0.0  # seconds to take per post (makes concurrent workers overlap)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, name: str) -> str:
        return f"json://127.0.0.1:{self.port}/{name}"

    def to(self, name: str) -> list[Arrival]:
        with self.lock:
            return [a for a in self.arrivals if a.path == f"/{name}"]


@contextmanager
def receiving(clock: Callable[[], datetime]) -> Iterator[Receiver]:
    """Run the endpoint on a free loopback port for the duration of the block."""
    holder: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's name
            receiver = holder["r"]
            length = int(self.headers.get("content-length") or 0)
            body: dict[str, Any] = json.loads(self.rfile.read(length) or b"{}")
            if receiver.delay:
                time.sleep(receiver.delay)
            with receiver.lock:
                failing = receiver.fail_next > 0
                if failing:
                    receiver.fail_next -= 1
                else:
                    receiver.arrivals.append(
                        Arrival(
                            self.path,
                            body.get("title", ""),
                            body.get("message", ""),
                            receiver.clock(),
                        )
                    )
            self.send_response(500 if failing else 200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["r"] = Receiver(server.server_address[1], clock)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["r"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
