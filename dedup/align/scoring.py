"""Sentence-pair scoring: how alike every sentence of one text is to every sentence of another.

Each sentence pair is scored lexically (rapidfuzz ratio over normalised
text) and semantically (embedding cosine, shifted by a language offset). A
semantic match must not contradict on specific content: when both sentences
carry numbers and share none, they report different facts, however close
their wording. Where the encoder reads neither language, shared rare words
stand in for meaning.
"""
from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from ..config import Config
from .profile import TextProfile


def reads_neither(lang_a: str, lang_b: str, languages: frozenset[str] | None) -> bool:
    """True when an encoder knowing ``languages`` (None: all) knows neither article's language."""
    return languages is not None and lang_a not in languages and lang_b not in languages


def semantic_offset(lang_a: str, lang_b: str, languages: frozenset[str] | None, config: Config) -> float:
    """What to add to two sentences' cosine before the semantic thresholds.

    Translations score lower than same-language paraphrases of one sentence,
    so a cross-language pair gets ``cross_language_offset``. When the encoder
    knows neither language, its cosine is mostly shared subwords (unrelated
    Croatian sentences reach 0.7 under USE v3): ``unknown_language_penalty``.
    """
    if reads_neither(lang_a, lang_b, languages):
        return -config.unknown_language_penalty
    return config.cross_language_offset if lang_a != lang_b else 0.0


def long_enough(a: TextProfile, b: TextProfile, config: Config) -> np.ndarray:
    """The sentence pairs whose two sentences both have ``min_sentence_chars`` or more (the pairs that count)."""
    return (a.lengths[:, None] >= config.min_sentence_chars) & (b.lengths[None, :] >= config.min_sentence_chars)


def _support(sim: np.ndarray, agree: np.ndarray, long_enough: np.ndarray, config: Config) -> tuple[float, float]:
    """Soft coverage of each side: how much of its content has a close counterpart.

    Every content sentence contributes its best similarity to the other text's
    content sentences (``sim``: max of cosine plus the language offset and
    lexical similarity, nudged up by shared numbers and down by contradicting
    ones), rescaled so ``support_floor`` counts 0 and ``support_full`` counts
    1. Unlike hard matches this degrades gracefully on heavy paraphrase and
    translation.
    """
    if not long_enough.any():
        return 0.0, 0.0
    if long_enough.all():  # (news sentences mostly are: no copy of the matrices)
        near = sim + config.number_bonus * agree
    else:
        rows, cols = long_enough.any(axis=1), long_enough.any(axis=0)
        near = sim[rows][:, cols] + config.number_bonus * agree[rows][:, cols]

    def soft(best: np.ndarray) -> float:
        # the rescaling is monotone, so it is applied to each sentence's best value, not to every pair's
        return float(np.clip((best - config.support_floor) / (config.support_full - config.support_floor),
                             0.0, 1.0).mean())

    return soft(near.max(axis=1)), soft(near.max(axis=0))


def _number_agreement(a: TextProfile, b: TextProfile) -> np.ndarray:
    """+1 where two sentences share a number, -1 where both have numbers but none shared."""
    agree = np.zeros((len(a.sentences), len(b.sentences)), dtype=np.float32)
    (ia, rows_a), (jb, rows_b) = a.number_index, b.number_index
    if len(ia) and len(jb):
        agree[ia[:, None], jb] = -1.0
        for x in rows_a.keys() & rows_b.keys():
            agree[rows_a[x][:, None], rows_b[x]] = 1.0
    return agree


def _specificity(a: TextProfile, i: int, b: TextProfile, j: int, weights: Mapping[str, float] | None) -> float:
    """How specific the content two sentences share is: summed weights of shared numbers and names.

    ``weights`` (from corpus document frequency) make a name every article
    of the corpus mentions count little; without them every anchor counts 1.
    """
    shared = {"#" + n for n in a.numbers[i] & b.numbers[j]} | (a.names[i] & b.names[j])
    if weights is None:
        return float(len(shared))
    return float(sum(weights.get(x, 1.0) for x in shared))


def _word_cosine(a: TextProfile, b: TextProfile, weights: Mapping[str, float]) -> np.ndarray:
    """Cosine of every sentence pair's distinct words, each weighted by its rarity (``weights``; unseen = 1)."""
    vocab: dict[str, int] = {}
    for p in (a, b):
        for ws in p.word_sets:
            for w in ws:
                vocab.setdefault(w, len(vocab))
    weight = np.array([weights.get(w, 1.0) for w in vocab], dtype=np.float32)

    def rows(p: TextProfile) -> np.ndarray:
        m = np.zeros((len(p.word_sets), len(vocab)), dtype=np.float32)
        for r, ws in enumerate(p.word_sets):
            cols = [vocab[w] for w in ws]
            m[r, cols] = weight[cols]
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return m / np.where(norms > 0, norms, 1.0)

    return rows(a) @ rows(b).T


def _other_names(a: TextProfile, b: TextProfile, close: np.ndarray, contradicts: np.ndarray) -> None:
    """Mark in ``contradicts`` the ``close`` sentence pairs that name different people or places.

    The same words around other names are a formula (a quote template, a
    daily report), not one fact told twice: two sentences that both carry
    names beyond their first word and share none of their names, nor a
    number, state different facts, as contradicting numbers do.
    """
    for i, j in np.argwhere(close & a.carries_names[:, None] & b.carries_names[None, :]):
        if not a.names[i] & b.names[j]:
            contradicts[i, j] = True


class Similarities(NamedTuple):
    """How alike every sentence pair of two texts is, before any of them is matched: cosine, rapidfuzz ratio,
    lexical similarity (the ratio, or the rarity-weighted word overlap where larger and the encoder reads
    neither language), similarity (the larger of cosine plus the language offset and lexical similarity),
    number agreement, which pairs are long enough to count, and each side's soft support."""

    sem: np.ndarray
    ratio: np.ndarray
    lex: np.ndarray
    overlap: np.ndarray | None
    sim: np.ndarray
    offset: float
    agree: np.ndarray
    long_pairs: np.ndarray
    support: tuple[float, float]

    def best_bound(self) -> tuple[np.ndarray, np.ndarray]:
        """Each sentence's highest similarity to a long-enough sentence of the other text, in 0..1: at least its
        best in :class:`SentenceScores`, which also leaves out sentences that contradict it."""
        n, m = self.sim.shape
        if not (n and m):
            return np.zeros(n, dtype=np.float32), np.zeros(m, dtype=np.float32)
        close = self.sim if self.long_pairs.all() else np.where(self.long_pairs, self.sim, 0.0)
        return (np.clip(close.max(axis=1), 0.0, 1.0).astype(np.float32),
                np.clip(close.max(axis=0), 0.0, 1.0).astype(np.float32))


def similarities(a: TextProfile, va: np.ndarray, b: TextProfile, vb: np.ndarray, config: Config,
                 languages: frozenset[str] | None, word_weights: Mapping[str, float] | None = None) -> Similarities:
    """Every sentence pair's :class:`Similarities` given the sentence vectors (rows of unit length);
    ``languages`` are those the encoder knows (None: all), and ``word_weights``
    (:func:`dedup.align.word_weights`) give the word overlap where it knows
    neither article's language.

    This is the costly part of aligning two texts (a rapidfuzz ratio per
    sentence pair), and enough to know each side's support: a corpus run
    reads the judge's ceiling from it before matching any sentence.
    """
    n, m = len(a.sentences), len(b.sentences)
    sem = np.clip(va @ vb.T, -1.0, 1.0) if n and m else np.zeros((n, m), dtype=np.float32)
    ratio = (cdist(a.norm, b.norm, scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0 if n and m
             else np.zeros((n, m)))
    long_pairs = long_enough(a, b, config)
    agree = _number_agreement(a, b)
    offset = semantic_offset(a.language, b.language, languages, config)
    overlap = None
    if offset < 0 and word_weights is not None and n and m:
        # the encoder cannot read either text: shared rare words (names, places, terms) stand in for meaning
        overlap = _word_cosine(a, b, word_weights)
    lex = ratio if overlap is None else np.maximum(ratio, overlap)
    sim = np.maximum(sem + offset, lex)
    return Similarities(sem, ratio, lex, overlap, sim, offset, agree, long_pairs,
                        _support(sim, agree, long_pairs, config))


class SentenceScores(NamedTuple):
    """Every sentence pair's match score (0 where no match), cosine and lexical similarity; each side's soft
    support; and each sentence's best similarity to a sentence of the other text that states no other figures."""

    score: np.ndarray
    sem: np.ndarray
    lex: np.ndarray
    support: tuple[float, float]
    best: tuple[np.ndarray, np.ndarray]


def match_matrix(a: TextProfile, va: np.ndarray, b: TextProfile, vb: np.ndarray,
                 config: Config, weights: Mapping[str, float] | None, languages: frozenset[str] | None,
                 word_weights: Mapping[str, float] | None = None) -> SentenceScores:
    """Score every sentence pair of two texts (see :class:`SentenceScores`): :func:`similarities`, then
    :func:`matched`."""
    return matched(a, b, similarities(a, va, b, vb, config, languages, word_weights), config, weights)


def matched(a: TextProfile, b: TextProfile, s: Similarities, config: Config,
            weights: Mapping[str, float] | None) -> SentenceScores:
    """Which sentence pairs of two texts match, given their similarities ``s`` (see :class:`SentenceScores`).

    A pair matches lexically at a rapidfuzz ratio of ``lexical_match`` (or,
    where the encoder knows neither language, at a rarity-weighted word
    overlap of ``word_match``), and semantically at a cosine of
    ``semantic_match`` with shared specific content (``weights``: corpus
    anchor weights; None counts each anchor 1). A sentence's best similarity
    is 0 for short sentences and ignores sentences whose numbers contradict
    it: a close counterpart must state the same facts.
    """
    n, m = s.sim.shape
    shifted = s.sem + s.offset
    semantic = shifted >= config.semantic_match
    edited = s.ratio >= config.lexical_override
    contradicts = (s.agree < 0) & ~edited
    _other_names(a, b, s.long_pairs & (s.agree == 0) & ~edited & ((s.ratio >= config.lexical_match) | semantic),
                 contradicts)
    counted = s.long_pairs & ~contradicts
    lexical = counted & (s.ratio >= config.lexical_match)
    if s.overlap is not None:
        lexical |= counted & (s.overlap >= config.word_match)
    close = np.where(counted, s.sim, 0.0).astype(np.float32)
    best = ((np.clip(close.max(axis=1), 0.0, 1.0), np.clip(close.max(axis=0), 0.0, 1.0)) if n and m
            else (np.zeros(n, dtype=np.float32), np.zeros(m, dtype=np.float32)))
    score = np.zeros((n, m), dtype=np.float32)
    score[lexical] = s.lex[lexical]
    # different figures in similar words are a different fact: no semantic match
    for i, j in np.argwhere(counted & ~lexical & semantic):
        cosine = float(s.sem[i, j])
        if cosine + s.offset >= config.semantic_strong or _specificity(a, i, b, j, weights) >= config.anchor_min:
            score[i, j] = cosine
    return SentenceScores(score, s.sem, s.lex, s.support, best)


def select(score: np.ndarray) -> list[tuple[int, int]]:
    """Best partner of every sentence on either side (allows merges and splits), sorted."""
    if score.size == 0:
        return []
    n, m = score.shape
    best_b = score.argmax(axis=1)
    best_a = score.argmax(axis=0)
    rows = np.concatenate([np.arange(n), best_a])
    cols = np.concatenate([best_b, np.arange(m)])
    keep = score[rows, cols] > 0
    keys = np.unique(rows[keep] * m + cols[keep])
    return list(zip((keys // m).tolist(), (keys % m).tolist()))
