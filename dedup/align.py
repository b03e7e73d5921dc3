"""Passage alignment of two texts: which sentences say the same thing, and where.

Each sentence pair is scored lexically (rapidfuzz ratio over normalised
text) and semantically (embedding cosine). A semantic match must not
contradict on specific content: when both sentences carry numbers and share
none, they report different facts, however close their wording. Adjacent
matches merge into passages with character offsets into both texts.

Long documents (:func:`align_texts` on pairs past ``long_text_chars``) are
aligned by seeding, extension and filtering instead (:mod:`dedup.longdoc`), with a summary mode, so
an obfuscated or summarised passage comes out as one passage, not many.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, NamedTuple, Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from .config import Config
from .encoders import Encoder, encoder_languages
from .records import NEAR_VERBATIM, PARAPHRASE, VERBATIM, Match, Passage
from .text import Sentence, language, name_keys, normalise, numbers, split_sentences, words



@dataclass
class TextProfile:
    """What alignment needs of one text: sentences and their specific content."""

    sentences: list[Sentence]
    norm: list[str]
    numbers: list[frozenset[str]]
    names: list[frozenset[str]]
    language: str

    def sentence_anchors(self) -> list[set[str]]:
        """Specific tokens of each sentence: numbers ('#'-prefixed) and name keys."""
        return [{"#" + n for n in nums} | names for nums, names in zip(self.numbers, self.names)]

    def anchors(self) -> set[str]:
        """Specific tokens of the whole text."""
        return set().union(*self.sentence_anchors())

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
    def word_sets(self) -> list[frozenset[str]]:
        """Distinct words of each sentence (for rarity-weighted word overlap)."""
        return [frozenset(words(n)) for n in self.norm]

    @cached_property
    def lengths(self) -> np.ndarray:
        """Characters of each sentence."""
        return np.array([s.end - s.start for s in self.sentences], dtype=np.int64)


_NO_TOKENS: frozenset[str] = frozenset()


def _tokens(found: set[str]) -> frozenset[str]:
    """``found`` as a frozenset of interned strings (one empty set for all): names and numbers recur across a
    corpus, and a profile keeps one set of each per sentence."""
    return frozenset(sys.intern(x) for x in found) if found else _NO_TOKENS


def profile(text: str, seen: dict[str, tuple[str, frozenset[str], frozenset[str]]] | None = None) -> TextProfile:
    """Split ``text`` into sentences and extract what alignment compares.

    ``seen``, shared across the texts of a corpus, keeps each distinct
    sentence's normalised form, numbers and names: syndicated copies repeat
    sentences verbatim, and each is then worked out and stored once.
    """
    sentences = split_sentences(text)
    seen = {} if seen is None else seen
    parts = []
    for s in sentences:
        part = seen.get(s.text)
        if part is None:
            part = seen[s.text] = (normalise(s.text), _tokens(numbers(s.text)), _tokens(name_keys(s.text)))
        parts.append(part)
    return TextProfile(
        sentences=sentences,
        norm=[p[0] for p in parts],
        numbers=[p[1] for p in parts],
        names=[p[2] for p in parts],
        language=language(text),
    )


@dataclass
class Alignment:
    """Everything two texts share, with coverage of each side by aligned passages."""

    passages: list[Passage]
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

    @property
    def matches(self) -> list[Match]:
        return [m for p in self.passages for m in p.matches]


def _support(sem: np.ndarray, lex: np.ndarray, agree: np.ndarray, long_enough: np.ndarray, offset: float,
             config: Config) -> tuple[float, float]:
    """Soft coverage of each side: how much of its content has a close counterpart.

    Every content sentence contributes its best similarity to the other text
    (max of cosine plus the language ``offset`` and lexical similarity, nudged
    up by shared numbers and down by contradicting ones), rescaled so
    ``support_floor`` counts 0 and ``support_full`` counts 1. Unlike hard
    matches this degrades gracefully on heavy paraphrase and translation.
    """
    if not long_enough.any():
        return 0.0, 0.0
    sim = np.maximum(sem + offset, lex) + config.number_bonus * agree
    sim = np.where(long_enough, sim, -1.0)
    scale = config.support_full - config.support_floor
    soft = np.clip((sim - config.support_floor) / scale, 0.0, 1.0)
    rows = long_enough.any(axis=1)
    cols = long_enough.any(axis=0)
    return float(soft.max(axis=1)[rows].mean()), float(soft.max(axis=0)[cols].mean())


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


def _rarity(anchor_sets: Sequence[set[str]]) -> dict[str, float]:
    """Weight of each anchor in [0, 1] over some units (texts or sentences): log(N/df) / log(N)."""
    n = len(anchor_sets)
    df: dict[str, int] = {}
    for anchors in anchor_sets:
        for x in anchors:
            df[x] = df.get(x, 0) + 1
    if n < 3:
        return {x: 1.0 for x in df}
    scale = math.log(n)
    return {x: math.log(n / c) / scale for x, c in df.items()}


def word_weights(profiles: Sequence[TextProfile]) -> dict[str, float]:
    """Weight of each word by its rarity among ``profiles``' texts (function words ~0, a rare name ~1).

    Used for sentence matching where the encoder knows neither language: then
    shared rare words stand in for meaning.
    """
    return _rarity([set().union(*p.word_sets) for p in profiles])


def anchor_weights(profiles: Sequence[TextProfile]) -> dict[str, float]:
    """Weight of each anchor by its rarity among the corpus's texts: rarer means more specific."""
    return _rarity([p.anchors() for p in profiles])


def pair_anchor_weights(a: TextProfile, b: TextProfile) -> dict[str, float]:
    """Anchor weights for two texts without a corpus: rarity among the sentences of both.

    A name that most sentences of both texts repeat is their topic ("Child
    Support" on two pages about child support), not a specific shared fact.
    """
    return _rarity(a.sentence_anchors() + b.sentence_anchors())


def pair_word_weights(a: TextProfile, b: TextProfile) -> dict[str, float]:
    """Word weights for two texts without a corpus: rarity among the sentences of both."""
    return _rarity(a.word_sets + b.word_sets)


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


class SentenceScores(NamedTuple):
    """Every sentence pair's match score (0 where no match), cosine and lexical similarity; each side's soft
    support; and each sentence's best similarity to a sentence of the other text that states no other figures."""

    score: np.ndarray
    sem: np.ndarray
    lex: np.ndarray
    support: tuple[float, float]
    best: tuple[np.ndarray, np.ndarray]


def _match_matrix(a: TextProfile, va: np.ndarray, b: TextProfile, vb: np.ndarray,
                  config: Config, weights: Mapping[str, float] | None, languages: frozenset[str] | None,
                  word_weights: Mapping[str, float] | None = None) -> SentenceScores:
    """Score every sentence pair of two texts (see :class:`SentenceScores`).

    The lexical similarity is the rapidfuzz ratio (0-1); where the encoder
    knows neither language and ``word_weights`` are given, it is the larger
    of that and the rarity-weighted word cosine, which matches at ``word_match``.
    A sentence's best similarity (cosine plus the language offset, or lexical
    similarity) is 0 for short sentences and ignores sentences whose numbers
    contradict it: a close counterpart must state the same facts.
    """
    n, m = len(a.sentences), len(b.sentences)
    sem = np.clip(va @ vb.T, -1.0, 1.0) if n and m else np.zeros((n, m), dtype=np.float32)
    lex = cdist(a.norm, b.norm, scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0 if n and m else np.zeros((n, m))
    la, lb = a.lengths, b.lengths
    long_enough = (la[:, None] >= config.min_sentence_chars) & (lb[None, :] >= config.min_sentence_chars)
    agree = _number_agreement(a, b)
    contradicts = (agree < 0) & (lex < config.lexical_override)
    lexical = long_enough & ~contradicts & (lex >= config.lexical_match)
    offset = semantic_offset(a.language, b.language, languages, config)
    if offset < 0 and word_weights is not None and n and m:
        # the encoder cannot read either text: shared rare words (names, places, terms) stand in for meaning
        overlap = _word_cosine(a, b, word_weights)
        lexical |= long_enough & ~contradicts & (overlap >= config.word_match)
        lex = np.maximum(lex, overlap)
    support = _support(sem, lex, agree, long_enough, offset, config)
    close = np.where(long_enough & ~contradicts, np.maximum(sem + offset, lex), 0.0).astype(np.float32)
    best = ((np.clip(close.max(axis=1), 0.0, 1.0), np.clip(close.max(axis=0), 0.0, 1.0)) if n and m
            else (np.zeros(n, dtype=np.float32), np.zeros(m, dtype=np.float32)))
    score = np.zeros((n, m), dtype=np.float32)
    score[lexical] = lex[lexical]
    # different figures in similar words are a different fact: no semantic match
    candidates = np.argwhere(long_enough & ~lexical & (agree >= 0) & (sem + offset >= config.semantic_match))
    for i, j in candidates:
        s = float(sem[i, j])
        if s + offset >= config.semantic_strong or _specificity(a, i, b, j, weights) >= config.anchor_min:
            score[i, j] = s
    return SentenceScores(score, sem, lex, support, best)


def _select(score: np.ndarray) -> list[tuple[int, int]]:
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


def _kind(a_text: str, b_text: str, config: Config) -> str:
    ratio = fuzz.ratio(normalise(a_text), normalise(b_text)) / 100.0
    if ratio >= config.verbatim_ratio:
        return VERBATIM
    if ratio >= config.near_verbatim_ratio:
        return NEAR_VERBATIM
    return PARAPHRASE


def _passage(a: TextProfile, b: TextProfile, pairs: list[tuple[int, int]], span_a: tuple[int, int],
             span_b: tuple[int, int], scores: tuple[np.ndarray, np.ndarray, np.ndarray], text_a: str, text_b: str,
             config: Config) -> Passage:
    """A passage over sentences ``span_a`` of a and ``span_b`` of b (first, last), its aligned ``pairs`` as evidence.

    ``scores`` are the match score, cosine and lexical ratio of every sentence pair.
    """
    score, sem, lex = scores
    a_start, a_end = a.sentences[span_a[0]].start, a.sentences[span_a[1]].end
    b_start, b_end = b.sentences[span_b[0]].start, b.sentences[span_b[1]].end
    matches = [Match(i, j, round(float(score[i, j]), 4), round(float(sem[i, j]), 4), round(float(lex[i, j]), 4))
               for i, j in pairs]
    return Passage(a_start, a_end, b_start, b_end, kind=_kind(text_a[a_start:a_end], text_b[b_start:b_end], config),
                   score=round(sum(m.score for m in matches) / len(matches), 4), matches=matches)


def _covered(profile_: TextProfile, idx: set[int], min_chars: int) -> tuple[float, int]:
    lengths = profile_.lengths
    content = int(lengths[lengths >= min_chars].sum())
    covered = int(sum(lengths[i] for i in idx))
    return (covered / content if content else 0.0), content


def align(a: TextProfile, va: np.ndarray, b: TextProfile, vb: np.ndarray, config: Config,
          text_a: str, text_b: str, weights: Mapping[str, float] | None = None,
          languages: frozenset[str] | None = None, word_weights: Mapping[str, float] | None = None) -> Alignment:
    """Align two profiled texts given their sentence vectors (rows of unit length).

    ``weights`` are corpus anchor weights (:func:`anchor_weights`); without
    them every shared number or name counts as specific. ``languages`` are
    those the encoder knows (None: all). ``word_weights``
    (:func:`word_weights`) let sentences match on shared rare words where the
    encoder knows neither language.
    """
    score, sem, lex, (support_a, support_b), (best_a, best_b) = _match_matrix(
        a, va, b, vb, config, weights, languages, word_weights)
    pairs = _select(score)
    runs: list[list[tuple[int, int]]] = []
    step = config.max_gap + 1
    for i, j in pairs:
        run = runs[-1] if runs else None
        if run and 0 <= i - run[-1][0] <= step and -1 <= j - max(p[1] for p in run) <= step:
            run.append((i, j))
        else:
            runs.append([(i, j)])
    passages = [_passage(a, b, run, (run[0][0], run[-1][0]), (min(j for _, j in run), max(j for _, j in run)),
                         (score, sem, lex), text_a, text_b, config) for run in runs]
    set_a = {i for i, _ in pairs}
    set_b = {j for _, j in pairs}
    cov_a, content_a = _covered(a, set_a, config.min_sentence_chars)
    cov_b, content_b = _covered(b, set_b, config.min_sentence_chars)
    return Alignment(passages, min(cov_a, 1.0), min(cov_b, 1.0), len(set_a), len(set_b), content_a, content_b,
                     round(support_a, 4), round(support_b, 4), best_a, best_b)


def embed_texts(text_a: str, text_b: str, encoder: Encoder) -> tuple[TextProfile, np.ndarray, TextProfile, np.ndarray]:
    """Profile two raw texts and embed their sentences (one encoder call)."""
    pa, pb = profile(text_a), profile(text_b)
    vectors = encoder.encode([s.text for s in pa.sentences] + [s.text for s in pb.sentences])
    n = len(pa.sentences)
    return pa, vectors[:n], pb, vectors[n:]


def align_texts(text_a: str, text_b: str, encoder: Encoder, config: Config | None = None,
                embedded: tuple[TextProfile, np.ndarray, TextProfile, np.ndarray] | None = None) -> Alignment:
    """Profile, embed and align two raw texts of any length (no corpus needed).

    News-length pairs (both under ``long_text_chars``) are aligned as by
    :func:`align`: matched sentences in runs with at most ``max_gap`` between.
    Longer pairs go through seeding, extension and filtering: sentence pairs
    seed passages, seeds within ``passage_gap`` sentences of each other on
    both sides merge while the merged fragments stay alike, short passages
    need a close match, and a compact passage matched all over the other
    text is taken as a summary of that whole text. ``embedded``: the texts
    already profiled and embedded by :func:`embed_texts`.
    """
    config = config or Config()
    pa, va, pb, vb = embedded or embed_texts(text_a, text_b, encoder)
    languages = encoder_languages(encoder)
    if max(len(text_a), len(text_b)) < config.long_text_chars:
        return align(pa, va, pb, vb, config, text_a, text_b, pair_anchor_weights(pa, pb), languages,
                     pair_word_weights(pa, pb))
    from .longdoc import align_long  # builds on this module's scoring, so imported here

    return align_long(pa, va, pb, vb, config, text_a, text_b, languages)
