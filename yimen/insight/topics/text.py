"""Case text to terms: rjieba (the maintained jieba-rs binding; jieba itself is unmaintained since
2020) with its part-of-speech tags, so that person names, numbers, measure words and function
words never become a topic's key term."""

import rjieba

# POS tags (jieba's ICTCLAS set) that carry no topic: person names (nr, nrfg, nrt), numerals,
# measure words, prepositions, particles, conjunctions, adverbs, pronouns, punctuation, locality.
DROPPED_TAGS = ("nr", "m", "q", "p", "u", "c", "d", "r", "x", "w", "e", "y", "o", "f", "uj", "ul", "zg", "eng")
# Words of every case's boilerplate (intake phrasing), not of its matter.
STOPWORDS = frozenset(
    [
        "反映",
        "有关",
        "情况",
        "核实",
        "处理",
        "职责",
        "依职责",
        "请求",
        "要求",
        "问题",
        "群众",
        "来访",
        "来信",
        "来电",
        "上报",
        "网格员",
        "村民",
        "发生",
        "群众反映",
        "事宜",
        "相关",
        "进行",
        "报警",
        "接警",
        "咨询",
        "申请",
        "再次",
        "需要",
    ]
)


def terms(text: str) -> list[str]:
    """The content words of a text, in order: two characters or more, not a dropped tag."""
    found = []
    for word, tag in rjieba.tag(text):
        if len(word) < 2 or word in STOPWORDS or tag.startswith(DROPPED_TAGS):
            continue
        found.append(word)
    return found
