"""What a worker derived from a person's data, kept while that data is unchanged.

Every write bumps the person's revision in the database (store.db), and every
request reads it with the sign-in (services.accounts), so an entry is used only
while the data it came from is still current: in every worker process, with no
shared memory between them. A write committed by this process also drops the
person's entries at once, so a caller still holding the profile it read before
its own write never sees what it just changed as it was. Entries are bounded
(least recently used go first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_SIZE = 2048


class Memo:
    """A bounded map of (name, person) to (version, value); thread-safe."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self._size = size
        self._items: OrderedDict[tuple[str, int], tuple[Hashable, Any]] = OrderedDict()
        # Bumped when a person's entries are dropped: a value made from data read
        # before the drop is then not kept.
        self._generations: dict[int, int] = {}
        # One lock per key being made, so that concurrent misses make it once.
        self._makers: dict[tuple[str, int], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, name: str, person_id: int, version: Hashable | None, make: Callable[[], T]) -> T:
        """Return the value made for `version`, or make it now (always, if version is None).

        Requests that miss together wait for the first one's value instead of all
        making it (the statistics, once a minute, under load).
        """
        if version is None:
            return make()
        key = (name, person_id)
        found = self._found(key, version)
        if found is not None:
            return found[0]  # type: ignore[no-any-return]
        with self._lock:
            maker = self._makers.setdefault(key, threading.Lock())
        with maker:
            found = self._found(key, version)
            if found is not None:
                return found[0]  # type: ignore[no-any-return]
            with self._lock:
                generation = self._generations.get(person_id, 0)
            value = make()
            with self._lock:
                if self._generations.get(person_id, 0) == generation:
                    self._items[key] = (version, value)
                    self._items.move_to_end(key)
                    while len(self._items) > self._size:
                        self._items.popitem(last=False)
                self._makers.pop(key, None)  # a waiter still holds it; a new one is made
        return value

    def _found(self, key: tuple[str, int], version: Hashable) -> tuple[Any] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] == version:
                self._items.move_to_end(key)
                return (found[1],)
        return None

    def forget(self, people: set[int]) -> None:
        """Drop every entry of these people (their data just changed)."""
        with self._lock:
            for person_id in people:
                self._generations[person_id] = self._generations.get(person_id, 0) + 1
            for key in [k for k in self._items if k[1] in people]:
                del self._items[key]

    def __len__(self) -> int:
        return len(self._items)
