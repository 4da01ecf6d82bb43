"""What a claim is about, in rough words: the checks' only word lists.

A check tells a headline repeated by a standfirst, or a claim on the topic of the article's
study, by the topic words the sentences share. The stop words and suffixes are English and
live here, in one place, until packs can state them.
"""

from __future__ import annotations

from functools import lru_cache

SUFFIXES = ("ingly", "ing", "edly", "ed", "ly", "s")
STOPWORDS = frozenset(
    {
        *("the", "a", "an", "this", "that", "these", "those", "it", "its", "their", "they"),
        *("we", "our", "new", "study", "studies", "research", "researchers", "scientists"),
        *("findings", "results", "data", "people", "patients"),
    }
)

_PUNCTUATION = ".,;:()“”\"'’"


def topic_words(text: str) -> set[str]:
    """The words of four letters or more that are not stop words, lower-cased and stripped
    of punctuation."""
    found = {w.strip(_PUNCTUATION).lower() for w in text.split() if len(w) >= 4}
    found -= STOPWORDS
    return found


# Several checks ask for the stems of the same claims (each walks the article's claims on
# its study), so each text's are worked out once; frozen, so no caller can change them.
# An article's claims fit; a bigger cache held 9 MB more over a corpus scan.
@lru_cache(maxsize=256)
def stems(text: str) -> frozenset[str]:
    """Topic words cut to a rough stem, so that "helps" meets "help", "lives" "live" and
    "reduced" "reduces"."""
    return frozenset(map(_stem, topic_words(text)))


# The claims of a corpus share most of their words: a word's stem looked up in C cost a
# third of working it out again (a stem was a loop over the suffixes in Python). 4096 words
# (under 1 MB) kept five lookups in six over the corpus; twice as many gained little more.
@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    # One test in C spares most words the loop: a suffix is tried only if it ends one.
    for suffix in SUFFIXES if word.endswith(SUFFIXES) else ():
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.removesuffix("e") if len(word) > 3 else word
