"""Words of a matter as the suggestions compare them: rjieba tokens (the maintained jieba-rs
binding) of two characters or more, less the words every matter uses, plus the catalogue's
formal word for each spoken word found in the text ("家暴" → also "家庭暴力")."""

import re
from functools import cache
from pathlib import Path

import rjieba

from yimen.cases.catalogue_data import SYNONYMS

# Below this many characters of text a suggestion would be a guess (issue 23: no suggestion).
MIN_CHARS = 2
WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,}$")


def _data(name: str) -> list[str]:
    """The lines of one of this app's data files, comments and blank lines left out."""
    text = Path(__file__).with_name(name).read_text(encoding="utf-8")
    return [line for raw in text.splitlines() if (line := raw.partition("#")[0].strip())]


@cache
def stopwords() -> frozenset[str]:
    """Words of nearly every complaint (stopwords.txt): they tell no category from another."""
    return frozenset(word for line in _data("stopwords.txt") for word in line.split())


@cache
def synonyms() -> dict[str, str]:
    """Spoken word → formal word: the catalogue's list and this app's synonyms.txt (data an
    administrator extends)."""
    words = dict(SYNONYMS)
    for line in _data("synonyms.txt"):
        spoken, _, formal = line.partition(" ")
        if formal.strip():
            words[spoken] = formal.strip()
    return words


def words(text: str) -> list[str]:
    """The text's informative tokens, in order, each once."""
    seen: dict[str, None] = {}
    for token in rjieba.cut(text or ""):
        if WORD.match(token) and token not in stopwords():
            seen.setdefault(token, None)
    for spoken, formal in synonyms().items():
        if spoken in text:
            seen.setdefault(spoken, None)
            for token in rjieba.cut(formal):
                if WORD.match(token):
                    seen.setdefault(token, None)
    return list(seen)


def enough(text: str) -> bool:
    """Whether the text says enough for a suggestion (issue 23: empty or very short → none)."""
    return len(re.sub(r"\s", "", text or "")) >= MIN_CHARS
