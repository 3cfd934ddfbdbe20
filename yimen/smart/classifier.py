"""The category suggester: multinomial naive Bayes over the words of title + description
(yimen.smart.lexicon), trained on the confirmed categories of the installation's closed cases
and given the catalogue's names, groups and synonyms as pseudo-counts, so that a new
installation with no history still suggests 家庭暴力 for "家暴" and the history then sharpens it.

A model is the counts (models.CategoryModel.weights); `compiled()` turns the newest one and the
current catalogue into log-probabilities once per process and keeps them until either changes."""

import math
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from yimen.cases import catalogue
from yimen.cases.models import Case, CatalogueRow, TimelineEvent
from yimen.smart.lexicon import synonyms, words

# A catalogue word counts like this many training cases using it: strong enough to lead on a
# fresh installation, weak enough for a few hundred real cases to outvote a misleading name.
PRIOR = 4.0
TOP = 3
# A row the text gives under 1 % beside the first shows as "0%": no help to the clerk, only noise.
FLOOR = 0.01
EXEMPLARS = 30  # newest closed cases kept per row to show as similar past cases
REASON_WORDS = 4


@dataclass(frozen=True)
class Scored:
    row: CatalogueRow
    score: float  # the row's probability among the candidate rows, 0–1
    words: list[str]  # the text's words that speak for the row, strongest first
    catalogue_words: list[str]  # those of them that are the catalogue's own (name, group, synonyms)
    exemplars: list[int]  # past closed cases of the row, the most alike first (not yet scoped)


def row_words(row) -> list[str]:
    """The catalogue's own words for a row: its name's and group's words and the spoken words
    whose formal word is in them."""
    formal = f"{row.name}{row.group}"
    spoken = [word for word, meaning in synonyms().items() if meaning in formal]
    return list(dict.fromkeys(words(row.name) + words(row.group) + spoken))


def count(examples: Iterable[tuple]) -> dict:
    """Training counts from (title, description, row code[, case id]) examples, oldest first; with
    case ids, each row's newest EXEMPLARS cases and their words (the similar cases a suggestion
    shows are picked among them, then scoped by one visible_to query)."""
    index: dict[str, int] = {}
    docs: list[int] = []
    tokens: dict[str, Counter] = defaultdict(Counter)
    exemplars: dict[int, deque] = defaultdict(lambda: deque(maxlen=EXEMPLARS))
    for title, description, code, *pk in examples:
        i = index.setdefault(code, len(index))
        if i == len(docs):
            docs.append(0)
        docs[i] += 1
        found = words(f"{title} {description}")
        for token in found:
            tokens[token][i] += 1
        if pk:
            exemplars[i].append([pk[0], found])
    return {
        "rows": list(index),
        "docs": docs,
        "tokens": {token: {str(i): n for i, n in counts.items()} for token, counts in tokens.items()},
        "exemplars": {str(i): list(cases) for i, cases in exemplars.items()},
    }


def training_cases(*, until: datetime | None = None, since: datetime | None = None):
    """Closed cases with a confirmed category (the category they were closed under), oldest
    first, as (title, description, row code, case id)."""
    cases = Case.unscoped.filter(state__in=Case.DONE, category__isnull=False)
    if until is not None:
        cases = cases.filter(received_at__lt=until)
    if since is not None:
        cases = cases.filter(received_at__gte=since)
    rows = cases.order_by("received_at", "pk").values_list("title", "description", "category__code", "pk")
    return rows.iterator(chunk_size=5000)


def train(examples: Iterable[tuple[str, str, str]]) -> tuple[dict, int, float]:
    """Counts from the examples, how many, and the seconds it took."""
    started = time.perf_counter()
    weights = count(examples)
    return weights, sum(weights["docs"]), time.perf_counter() - started


class Compiled:
    """A model's counts with the catalogue's words added, as log-probabilities per row."""

    def __init__(self, weights: dict, rows: list[CatalogueRow]):
        self.rows = rows
        position = {row.code: i for i, row in enumerate(rows)}
        trained = [position.get(code) for code in weights.get("rows", [])]
        docs = [1.0] * len(rows)  # Laplace: every row may be the answer
        for j, n in enumerate(weights.get("docs", [])):
            if trained[j] is not None:
                docs[trained[j]] += n
        counts: dict[str, dict[int, float]] = defaultdict(dict)
        for token, per_row in weights.get("tokens", {}).items():
            for j, n in per_row.items():
                i = trained[int(j)]
                if i is not None:
                    counts[token][i] = counts[token].get(i, 0) + n
        self.prior_words: list[set[str]] = []
        for i, row in enumerate(rows):
            own = set(row_words(row))
            self.prior_words.append(own)
            for token in own:
                counts[token][i] = counts[token].get(i, 0) + PRIOR
        totals = [0.0] * len(rows)
        for per_row in counts.values():
            for i, n in per_row.items():
                totals[i] += n
        vocabulary = len(counts) or 1
        all_docs = sum(docs)
        self.log_doc = [math.log(n / all_docs) for n in docs]
        self.log_unseen = [math.log(1 / (totals[i] + vocabulary)) for i in range(len(rows))]
        # Only what differs from a row's unseen value is kept: a token scores the rows it was seen with.
        self.lift = {
            token: {i: math.log((n + 1) / (totals[i] + vocabulary)) - self.log_unseen[i] for i, n in per_row.items()}
            for token, per_row in counts.items()
        }
        self.redispatch = weights.get("redispatch", {})
        self.exemplars: list[list[tuple[int, frozenset[str]]]] = [[] for _ in rows]
        for j, cases in weights.get("exemplars", {}).items():
            if trained[int(j)] is not None:
                self.exemplars[trained[int(j)]] = [(pk, frozenset(found)) for pk, found in reversed(cases)]

    def score(self, text: str, *, kind: str = "", top: int = TOP) -> list[Scored]:
        """The `top` rows most likely for the text (of `kind` when given), each with the words
        that speak for it, the first always and the others from FLOOR up; [] when no word of the
        text is known (never a guess)."""
        known = [token for token in words(text) if token in self.lift]
        if not known:
            return []
        candidates = [i for i, row in enumerate(self.rows) if not kind or row.kind == kind]
        # A token's unseen value counts for every row alike except through log_unseen's size.
        logits = {i: self.log_doc[i] + len(known) * self.log_unseen[i] for i in candidates}
        for token in known:
            for i, gain in self.lift[token].items():
                if i in logits:
                    logits[i] += gain
        supported = {i for token in known for i in self.lift[token] if i in logits}
        if not supported:
            return []
        peak = max(logits.values())
        total = sum(math.exp(v - peak) for v in logits.values())
        ranked = sorted(supported, key=lambda i: logits[i], reverse=True)[:top]
        ranked = ranked[:1] + [i for i in ranked[1:] if math.exp(logits[i] - peak) / total >= FLOOR]
        found = []
        for i in ranked:
            spoken = sorted((t for t in known if i in self.lift[t]), key=lambda t: self.lift[t][i], reverse=True)
            found.append(
                Scored(
                    row=self.rows[i],
                    score=math.exp(logits[i] - peak) / total,
                    words=spoken[:REASON_WORDS],
                    catalogue_words=[t for t in spoken if t in self.prior_words[i]][:REASON_WORDS],
                    exemplars=self.alike(i, set(known)),
                )
            )
        return found

    def alike(self, i: int, known: set[str]) -> list[int]:
        """The row's exemplar cases by words in common with the text, newest first among equals."""
        ranked = sorted(self.exemplars[i], key=lambda e: len(known & e[1]), reverse=True)  # stable
        return [pk for pk, _ in ranked]


_CACHE: dict[tuple, Compiled] = {}


def forget() -> None:
    """Drop the compiled model (the test suite, between tests whose database was emptied)."""
    _CACHE.clear()


def compiled() -> Compiled:
    """The newest trained model with the current catalogue (recompiled when either changes). The
    model is known by its id and training time together: an id alone can come back (a rolled-back
    training's, or a restored database's) for other counts."""
    from yimen.smart.models import CategoryModel

    newest = CategoryModel.objects.order_by("-id").values_list("id", "trained_at").first()
    current = catalogue.catalogue_current()
    key = (newest, current.pk)
    if key not in _CACHE:
        weights = CategoryModel.objects.get(pk=newest[0]).weights if newest else {}
        _CACHE.clear()
        _CACHE[key] = Compiled(weights, list(catalogue.catalogue_rows()))
    return _CACHE[key]


def redispatch_counts() -> dict[str, list[int]]:
    """Per row code: [closed cases redispatched at least once, closed cases]."""
    closed = Case.unscoped.filter(state__in=Case.DONE, category__isnull=False)
    totals = dict(closed.order_by().values_list("category__code").annotate(n=Count("id")))
    moved = (
        TimelineEvent.objects.filter(action="redispatch", case__in=closed)
        .order_by()
        .values_list("case__category__code")
        .annotate(n=Count("case", distinct=True))
    )
    moved_by_code = dict(moved)
    return {code: [moved_by_code.get(code, 0), n] for code, n in totals.items()}
