"""Process-local copies of rarely changed rows, checked against their Generation on every use
(issue 22): one indexed one-row read instead of loading the rows again, and never a stale copy.

    RULES = Cached("cases.rules", load_rules)   # load_rules() -> whatever the readers need
    RULES.get()                                 # the copy, reloaded if its generation moved
    bump("cases.rules")                         # in the transaction of every write to those rows

A bump sets a random value rather than adding one: a rolled-back test (or a flushed database
seeded again) must not bring back a value some earlier copy was loaded under."""

import secrets
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import IntegrityError, connection, transaction

from yimen.core.models import Generation

T = TypeVar("T")


def bump(name: str) -> None:
    """Mark the rows of `name` changed (inside the writer's transaction)."""
    value = secrets.randbits(62)
    if Generation.objects.filter(name=name).update(value=value):
        return
    try:
        with transaction.atomic():
            Generation.objects.create(name=name, value=value)
    except IntegrityError:  # another writer created it first
        Generation.objects.filter(name=name).update(value=value)


def current(name: str) -> int | None:
    """The generation now (None before the first bump, e.g. on a database seeded by migrations)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {Generation._meta.db_table} WHERE name = %s", [name])  # noqa: S608
        found = cursor.fetchone()
    return found[0] if found else None


_ALL: "list[Cached]" = []


def forget_copies() -> None:
    """Drop every process copy: for a database emptied and seeded again without a bump (the test
    suite's flush; a seeded table has no generation yet, so the value read stays None while the
    rows' ids change)."""
    for cached in _ALL:
        cached._copy = None


class Cached(Generic[T]):
    """A copy of `load()`'s answer, kept while the generation `name` stays the same. The
    generation is read before loading: a write landing in between leaves a newer copy under the
    older value, which the next call then reloads — never the reverse."""

    def __init__(self, name: str, load: Callable[[], T]):
        self.name, self.load = name, load
        self._copy: tuple[int | None, T] | None = None
        self._lock = threading.Lock()
        _ALL.append(self)

    def get(self) -> T:
        version = current(self.name)
        copy = self._copy
        if copy is not None and copy[0] == version:
            return copy[1]
        with self._lock:  # one thread of the process loads; the others take its copy
            copy = self._copy
            if copy is None or copy[0] != version:
                copy = (version, self.load())
                self._copy = copy
        return copy[1]
