"""From aligned sentence pairs to passages: the :class:`Alignment` record, each passage's kind and offsets, coverage.

Shared by the news aligner (:mod:`dedup.align.news`) and the long-document
aligner (:mod:`dedup.align.longdoc`), which differ in how they group
sentence pairs, not in what a passage is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np
from rapidfuzz import fuzz

from ..config import Config
from ..records import NEAR_VERBATIM, PARAPHRASE, VERBATIM, Match, Passage
from ..text import normalise
from .profile import TextProfile


@dataclass
class Alignment:
    """Everything two texts share, with coverage of each side by aligned passages.

    ``matches`` are the aligned sentence pairs in passage order. The passages
    are made from them when first read (``make_passages``): a corpus run reads
    them only for the pairs the judge saves, and most aligned pairs are not.
    """

    matches: list[Match]
    coverage_a: float
    coverage_b: float
    matched_a: int
    matched_b: int
    content_a: int
    content_b: int
    support_a: float = 0.0
    support_b: float = 0.0
    best_a: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    best_b: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    make_passages: Callable[[], list[Passage]] = field(default=list, repr=False, compare=False)

    @cached_property
    def passages(self) -> list[Passage]:
        """The passages the matches form (each with its matches as evidence)."""
        return self.make_passages()


def _kind(a_text: str, b_text: str, config: Config) -> str:
    """Verbatim, near-verbatim or paraphrase, by the ratio of the two passages' normalised texts."""
    ratio = fuzz.ratio(normalise(a_text), normalise(b_text)) / 100.0
    if ratio >= config.verbatim_ratio:
        return VERBATIM
    if ratio >= config.near_verbatim_ratio:
        return NEAR_VERBATIM
    return PARAPHRASE


def sentence_matches(pairs: list[tuple[int, int]], scores: tuple[np.ndarray, np.ndarray, np.ndarray]) -> list[Match]:
    """The aligned sentence ``pairs`` as :class:`Match` records, given the match score, cosine and lexical ratio
    of every sentence pair (``scores``)."""
    score, sem, lex = scores
    return [Match(i, j, round(float(score[i, j]), 4), round(float(sem[i, j]), 4), round(float(lex[i, j]), 4))
            for i, j in pairs]


def passage(a: TextProfile, b: TextProfile, matches: list[Match], span_a: tuple[int, int],
            span_b: tuple[int, int], text_a: str, text_b: str, config: Config) -> Passage:
    """A passage over sentences ``span_a`` of a and ``span_b`` of b (first, last), its aligned ``matches`` as
    evidence."""
    a_start, a_end = a.sentences[span_a[0]].start, a.sentences[span_a[1]].end
    b_start, b_end = b.sentences[span_b[0]].start, b.sentences[span_b[1]].end
    return Passage(a_start, a_end, b_start, b_end, kind=_kind(text_a[a_start:a_end], text_b[b_start:b_end], config),
                   score=round(sum(m.score for m in matches) / len(matches), 4), matches=matches)


def covered(profile_: TextProfile, idx: set[int], min_chars: int) -> tuple[float, int]:
    """Share of a text's content (sentences of ``min_chars`` or more) that sentences ``idx`` cover, and that content."""
    lengths = profile_.lengths
    content = int(lengths[lengths >= min_chars].sum())
    covered = int(sum(lengths[i] for i in idx))
    return (covered / content if content else 0.0), content
