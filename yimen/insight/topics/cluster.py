"""The clustering itself, free of the database so that tests and bench/bench_topics.py run it on
plain lists: TF-IDF vectors of each case's terms, with its category and its village as two extra
features, grouped by a single pass of leader clustering (each case joins the nearest topic by
cosine, or starts one) and one reassignment pass against the settled centroids (one k-means
step, so that a case seen early is not stuck with the first topic it met).

Why not k-means or MinHash: the number of topics is not known in advance, and a month of a
county is 100,000 short texts; the leader pass with an inverted index over centroid terms
compares a case only with the topics that share one of its terms, so it stays linear in cases.
Terms in fewer than `min_df` cases (a person's name the tagger missed) or in more than
`max_df` of them (boilerplate) carry no topic and are dropped before weighting."""

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

CATEGORY = "类:"  # feature prefixes: they never collide with a word (no colon in rjieba's words)
PLACE = "地:"


@dataclass(frozen=True)
class Settings:
    threshold: float = 0.45  # cosine a case needs to join a topic
    min_size: int = 3  # a topic is a problem of several cases; smaller groups stay unclustered
    min_df: int = 2
    # A word in fewer cases than a topic's minimum cannot carry a topic on its own; kept (it still
    # tells cases apart) at this share of its TF-IDF weight, so that two complaints about the
    # same thing in different words ("未足额到位", "被截留") still meet.
    rare_weight: float = 0.4
    max_df: float = 0.4
    max_df_from: int = 30  # below this many cases a share says nothing: no term is boilerplate
    category_weight: float = 0.5  # share of the vector's length given to the category feature
    place_weight: float = 0.25  # ... and to the village
    top_terms: int = 8


@dataclass
class Doc:
    key: int  # the case's id
    terms: list[str]
    category: int | None = None
    place: str = ""  # the village's code


@dataclass
class Cluster:
    keys: list[int]
    terms: list[tuple[str, float]]  # key terms with their centroid weight, heaviest first
    centroid: dict[str, float] = field(repr=False, default_factory=dict)  # normalised, words only


def idf_table(docs: Sequence[Doc], settings: Settings) -> dict[str, float]:
    df = Counter(t for d in docs for t in set(d.terms))
    n = len(docs)
    cap = settings.max_df * n if n >= settings.max_df_from else n
    return {
        t: (math.log(n / k) + 1.0) * (settings.rare_weight if k < settings.min_size else 1.0)
        for t, k in df.items()
        if settings.min_df <= k <= cap
    }


def vector(doc: Doc, idf: dict[str, float], settings: Settings) -> dict[str, float]:
    """The unit vector of a case: its words' TF-IDF scaled to the share left by the features."""
    words = Counter(t for t in doc.terms if t in idf)
    vec = {t: k * idf[t] for t, k in words.items()}
    norm = math.sqrt(sum(w * w for w in vec.values()))
    features = []
    if doc.category is not None and settings.category_weight:
        features.append((f"{CATEGORY}{doc.category}", settings.category_weight))
    if doc.place and settings.place_weight:
        features.append((f"{PLACE}{doc.place}", settings.place_weight))
    text_share = 1.0 - sum(w for _, w in features) if vec else 0.0
    vec = {t: w / norm * math.sqrt(text_share) for t, w in vec.items()} if vec else {}
    for name, share in features:
        vec[name] = math.sqrt(share)
    return vec


class _Centroids:
    """Sums of member vectors with their squared norms and an inverted index term → topics."""

    def __init__(self) -> None:
        self.sums: list[dict[str, float]] = []
        self.norm2: list[float] = []
        self.index: dict[str, list[int]] = defaultdict(list)

    def nearest(self, vec: dict[str, float]) -> tuple[int, float]:
        scores: dict[int, float] = defaultdict(float)
        for t, w in vec.items():
            for c in self.index.get(t, ()):
                scores[c] += w * self.sums[c][t]
        best, best_score = -1, 0.0
        for c, s in scores.items():
            s /= math.sqrt(self.norm2[c])
            if s > best_score:
                best, best_score = c, s
        return best, best_score

    def add(self, vec: dict[str, float], c: int | None = None) -> int:
        if c is None:
            c = len(self.sums)
            self.sums.append({})
            self.norm2.append(0.0)
        total = self.sums[c]
        for t, w in vec.items():
            old = total.get(t)
            if old is None:
                self.index[t].append(c)
                old = 0.0
            total[t] = old + w
            self.norm2[c] += (old + w) ** 2 - old * old
        return c


def cluster(docs: Sequence[Doc], settings: Settings = Settings()) -> list[Cluster]:
    """Topics of a set of cases, largest first; cases in no topic of `min_size` are left out."""
    idf = idf_table(docs, settings)
    vectors = [vector(d, idf, settings) for d in docs]
    first = _Centroids()
    for vec in vectors:
        if not vec:
            continue
        c, score = first.nearest(vec)
        first.add(vec, c if score >= settings.threshold else None)
    # One reassignment against the settled centroids, in one go (the centroids do not move).
    members: dict[int, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        if vec:
            c, score = first.nearest(vec)
            if score >= settings.threshold:
                members[c].append(i)
    found = []
    for indexes in members.values():
        if len(indexes) < settings.min_size:
            continue
        words: Counter = Counter()
        for i in indexes:
            for t, w in vectors[i].items():
                if ":" not in t:
                    words[t] += w
        norm = math.sqrt(sum(w * w for w in words.values())) or 1.0
        centroid = {t: w / norm for t, w in words.items()}
        top = sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))[: settings.top_terms]
        found.append(Cluster(keys=sorted(docs[i].key for i in indexes), terms=top, centroid=centroid))
    found.sort(key=lambda c: (-len(c.keys), c.keys[0]))
    return found


def similarity(doc: Doc, centroid: dict[str, float]) -> float:
    """Cosine of a case's words (each once; features left out) with a topic's word centroid: how
    a later month's case is recognised as the same problem when a project's volume is followed.
    No IDF: a later month may hold too few cases for document frequencies to mean anything, and
    the centroid already carries the topic month's weights."""
    words = set(doc.terms)
    if not words:
        return 0.0
    return sum(centroid.get(t, 0.0) for t in words) / math.sqrt(len(words))


def quality(truth: dict[int, str], clusters: Sequence[Cluster]) -> dict[str, float]:
    """Purity, inverse purity (how whole each true group stays), their harmonic mean, NMI and
    coverage (share of cases placed in a topic), over the labelled cases; unclustered cases count
    as singletons (they lower inverse purity and NMI, never purity)."""
    assigned = {}
    for n, c in enumerate(clusters):
        for k in c.keys:
            assigned[k] = n
    pred = {k: assigned.get(k, f"single-{k}") for k in truth}
    n = len(truth)
    pairs = Counter((pred[k], truth[k]) for k in truth)
    by_pred = Counter(pred.values())
    by_true = Counter(truth.values())
    purity = sum(max(v for (p, _), v in pairs.items() if p == c) for c in by_pred) / n
    inverse = sum(max(v for (_, t), v in pairs.items() if t == g) for g in by_true) / n
    mutual = sum(v / n * math.log(v * n / (by_pred[p] * by_true[t])) for (p, t), v in pairs.items())
    h_pred = -sum(v / n * math.log(v / n) for v in by_pred.values())
    h_true = -sum(v / n * math.log(v / n) for v in by_true.values())
    nmi = 2 * mutual / (h_pred + h_true) if h_pred + h_true else 1.0
    f1 = 2 * purity * inverse / (purity + inverse) if purity + inverse else 0.0
    coverage = sum(1 for k in truth if k in assigned) / n
    return {"purity": purity, "inverse_purity": inverse, "f1": f1, "nmi": nmi, "coverage": coverage}
