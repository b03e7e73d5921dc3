"""Text profiles: what alignment knows of one text, and how rare its anchors and words are.

A profile holds a text's sentences with their normalised form, numbers and
name keys (the anchors: specific content two sentences can share). Rarity
weights, over a corpus's texts or over the sentences of two texts, make a
name every text mentions count little.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterable

import numpy as np

from ..text import Sentence, Sentences, language, name_keys, normalise, numbers, split_sentences, words


@dataclass
class TextProfile:
    """What alignment needs of one text: sentences and their specific content."""

    sentences: Sentences
    norm: list[str]
    numbers: list[frozenset[str]]
    names: list[frozenset[str]]
    language: str
    named: list[frozenset[str]]
    """Each sentence's name keys after its first word (which is capitalised whatever it is): the names it
    really carries."""

    def sentence_anchors(self) -> list[set[str]]:
        """Specific tokens of each sentence: numbers ('#'-prefixed) and name keys."""
        return [{"#" + n for n in nums} | names for nums, names in zip(self.numbers, self.names)]

    def anchors(self) -> set[str]:
        """Specific tokens of the whole text (those of :meth:`sentence_anchors`, without a set per sentence)."""
        return {"#" + n for nums in self.numbers for n in nums}.union(*self.names)

    @cached_property
    def number_index(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The sentences that carry numbers, and the sentences each number occurs in."""
        rows: dict[str, list[int]] = {}
        for i, nums in enumerate(self.numbers):
            for x in nums:
                rows.setdefault(x, []).append(i)
        numbered = np.array([i for i, nums in enumerate(self.numbers) if nums], dtype=np.intp)
        return numbered, {x: np.array(r, dtype=np.intp) for x, r in rows.items()}

    @cached_property
    def carries_names(self) -> np.ndarray:
        """Which sentences have names after their first word (:attr:`named`)."""
        return np.fromiter(map(bool, self.named), dtype=bool, count=len(self.named))

    @cached_property
    def word_sets(self) -> list[frozenset[str]]:
        """Distinct words of each sentence (for rarity-weighted word overlap)."""
        return [frozenset(words(n)) for n in self.norm]

    @cached_property
    def lengths(self) -> np.ndarray:
        """Characters of each sentence."""
        return np.array(self.sentences.lengths(), dtype=np.int64)


_NO_TOKENS: frozenset[str] = frozenset()


Seen = dict[Any, Any]
"""What the profiles of one corpus share: each distinct sentence's parts (normalised form, numbers, names,
names after the first word) under its text, and each distinct set of names or numbers under itself."""


def _shared(tokens: frozenset[str], seen: Seen) -> frozenset[str]:
    """The corpus's one copy of this set of names or numbers (one empty set for all): they recur across a
    corpus, and a profile keeps one set of each kind per sentence (on generated news a third are distinct)."""
    return seen.setdefault(tokens, tokens) if tokens else _NO_TOKENS


def _tokens(found: Iterable[str], seen: Seen) -> frozenset[str]:
    """``found`` as the corpus's one frozenset of those strings, interned."""
    return _shared(frozenset(sys.intern(x) for x in found), seen)


def profile(text: str, seen: Seen | None = None) -> TextProfile:
    """Split ``text`` into sentences and extract what alignment compares.

    ``seen``, shared across the texts of a corpus, keeps each distinct
    sentence's normalised form, numbers and names: syndicated copies repeat
    sentences verbatim, and each is then worked out and stored once.
    """
    def made(k: int, s: Sentence) -> tuple[str, frozenset[str], frozenset[str], frozenset[str]]:
        every, after_first = name_keys(s.text)
        return normalise(s.text), _tokens(numbers(s.text), seen), _tokens(every, seen), _tokens(after_first, seen)

    seen = {} if seen is None else seen
    return _sharing(Sentences(text, split_sentences(text)), language(text), seen, made)


def reshared(p: TextProfile, seen: Seen, text: str) -> TextProfile:
    """``p`` sharing its sentences' parts with the profiles ``seen`` has met, as :func:`profile` shares them,
    and its sentences indexing ``text`` (this process's copy of its text): a profile made in another process
    (and copied here) then stores a sentence, or a set of names, repeated across the corpus once."""
    return _sharing(p.sentences.over(text), p.language, seen, lambda k, s: (
        p.norm[k], *(_shared(x[k], seen) for x in (p.numbers, p.names, p.named))))


def _sharing(sentences: Sentences, lang: str, seen: Seen,
             made: Callable[[int, Sentence], tuple[str, frozenset[str], frozenset[str], frozenset[str]]]
             ) -> TextProfile:
    """The profile of ``sentences``: each sentence's parts taken from ``seen``, or ``made(k, sentence)`` and
    kept there the first time its text is met."""
    parts = []
    for k, s in enumerate(sentences):
        part = seen.get(s.text)
        if part is None:
            part = seen[s.text] = made(k, s)
        parts.append(part)
    return TextProfile(sentences, [x[0] for x in parts], [x[1] for x in parts], [x[2] for x in parts], lang,
                       [x[3] for x in parts])


def _rarity(anchor_sets: Iterable[Iterable[str]]) -> dict[str, float]:
    """Weight of each anchor in [0, 1] over some units (texts or sentences): log(N/df) / log(N).
    The units' sets are read one at a time (a corpus's would all be held at once from a list)."""
    n = 0
    df: dict[str, int] = {}
    for anchors in anchor_sets:
        n += 1
        for x in anchors:
            df[x] = df.get(x, 0) + 1
    if n < 3:
        return {x: 1.0 for x in df}
    scale = math.log(n)
    return {x: math.log(n / c) / scale for x, c in df.items()}


def word_weights(profiles: Iterable[TextProfile]) -> dict[str, float]:
    """Weight of each word by its rarity among ``profiles``' texts (function words ~0, a rare name ~1).

    Used for sentence matching where the encoder knows neither language: then
    shared rare words stand in for meaning.
    """
    return _rarity(set().union(*p.word_sets) for p in profiles)


def anchor_weights(profiles: Iterable[TextProfile]) -> dict[str, float]:
    """Weight of each anchor by its rarity among the corpus's texts: rarer means more specific."""
    return _rarity(p.anchors() for p in profiles)


def pair_anchor_weights(a: TextProfile, b: TextProfile) -> dict[str, float]:
    """Anchor weights for two texts without a corpus: rarity among the sentences of both.

    A name that most sentences of both texts repeat is their topic ("Child
    Support" on two pages about child support), not a specific shared fact.
    """
    return _rarity(a.sentence_anchors() + b.sentence_anchors())


def pair_word_weights(a: TextProfile, b: TextProfile) -> dict[str, float]:
    """Word weights for two texts without a corpus: rarity among the sentences of both."""
    return _rarity(a.word_sets + b.word_sets)
