"""Passage alignment of two texts: which sentences say the same thing, and where.

Each sentence pair is scored lexically (rapidfuzz ratio over normalised
text) and semantically (embedding cosine). A semantic match must not
contradict on specific content: when both sentences carry numbers and share
none, they report different facts, however close their wording. Adjacent
matches merge into passages with character offsets into both texts.

Long documents (:func:`align_texts` on pairs past ``long_text_chars``) are
aligned by seeding, extension and filtering instead, with a summary mode, so
an obfuscated or summarised passage comes out as one passage, not many.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from .config import Config
from .encoders import Encoder, encoder_languages
from .text import Sentence, language, name_keys, normalise, numbers, split_sentences, words

VERBATIM, NEAR_VERBATIM, PARAPHRASE = "verbatim", "near-verbatim", "paraphrase"


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


@dataclass(frozen=True, slots=True)
class Match:
    """Two aligned sentences (indices into each text's sentences) and their scores."""

    a: int
    b: int
    score: float
    semantic: float
    lexical: float


@dataclass(slots=True)
class Passage:
    """A run of aligned sentences: offsets into both texts and how close they are."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: str
    score: float
    matches: list[Match] = field(default_factory=list)


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

    @property
    def matches(self) -> list[Match]:
        return [m for p in self.passages for m in p.matches]


def _support(sem: np.ndarray, lex: np.ndarray, agree: np.ndarray, long_enough: np.ndarray,
             config: Config) -> tuple[float, float]:
    """Soft coverage of each side: how much of its content has a close counterpart.

    Every content sentence contributes its best similarity to the other text
    (max of cosine and lexical ratio, nudged up by shared numbers and down by
    contradicting ones), rescaled so ``support_floor`` counts 0 and
    ``support_full`` counts 1. Unlike hard matches this degrades gracefully
    on heavy paraphrase and translation, so it is the pair's strength.
    """
    if not long_enough.any():
        return 0.0, 0.0
    sim = np.maximum(sem, lex) + config.number_bonus * agree
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


def anchor_weights(profiles: Sequence[TextProfile]) -> dict[str, float]:
    """Weight of each anchor by its rarity among the corpus's texts: rarer means more specific."""
    return _rarity([p.anchors() for p in profiles])


def pair_anchor_weights(a: TextProfile, b: TextProfile) -> dict[str, float]:
    """Anchor weights for two texts without a corpus: rarity among the sentences of both.

    A name that most sentences of both texts repeat is their topic ("Child
    Support" on two pages about child support), not a specific shared fact.
    """
    return _rarity(a.sentence_anchors() + b.sentence_anchors())


def _semantic_offset(lang_a: str, lang_b: str, languages: frozenset[str] | None, config: Config) -> float:
    """What to add to two sentences' cosine before the semantic thresholds.

    Translations score lower than same-language paraphrases of one sentence,
    so a cross-language pair gets ``cross_language_offset``. When the encoder
    knows neither language, its cosine is mostly shared subwords (unrelated
    Croatian sentences reach 0.7 under USE v3): ``unknown_language_penalty``.
    """
    if languages is not None and lang_a not in languages and lang_b not in languages:
        return -config.unknown_language_penalty
    return config.cross_language_offset if lang_a != lang_b else 0.0


def _match_matrix(a: TextProfile, va: np.ndarray, b: TextProfile, vb: np.ndarray,
                  config: Config, weights: Mapping[str, float] | None, languages: frozenset[str] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[float, float]]:
    """Match scores (0 where no match), cosine, lexical ratio and soft support of each side."""
    n, m = len(a.sentences), len(b.sentences)
    sem = np.clip(va @ vb.T, -1.0, 1.0) if n and m else np.zeros((n, m), dtype=np.float32)
    lex = cdist(a.norm, b.norm, scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0 if n and m else np.zeros((n, m))
    la, lb = a.lengths, b.lengths
    long_enough = (la[:, None] >= config.min_sentence_chars) & (lb[None, :] >= config.min_sentence_chars)
    agree = _number_agreement(a, b)
    support = _support(sem, lex, agree, long_enough, config)
    score = np.zeros((n, m), dtype=np.float32)
    contradicts = (agree < 0) & (lex < config.lexical_override / 100.0)
    lexical = long_enough & ~contradicts & (lex >= config.lexical_match / 100.0)
    score[lexical] = lex[lexical]
    # different figures in similar words are a different fact: no semantic match
    offset = _semantic_offset(a.language, b.language, languages, config)
    candidates = np.argwhere(long_enough & ~lexical & (agree >= 0) & (sem + offset >= config.semantic_match))
    for i, j in candidates:
        s = float(sem[i, j])
        if s + offset >= config.semantic_strong or _specificity(a, i, b, j, weights) >= config.anchor_min:
            score[i, j] = s
    return score, sem, lex, support


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
    ratio = fuzz.ratio(normalise(a_text), normalise(b_text))
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
          languages: frozenset[str] | None = None) -> Alignment:
    """Align two profiled texts given their sentence vectors (rows of unit length).

    ``weights`` are corpus anchor weights (:func:`anchor_weights`); without
    them every shared number or name counts as specific. ``languages`` are
    those the encoder knows (None: all).
    """
    score, sem, lex, (support_a, support_b) = _match_matrix(a, va, b, vb, config, weights, languages)
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
                     round(support_a, 4), round(support_b, 4))


# --- long-document alignment (align_texts) --------------------------------------------------------
# Seeding, extension and filtering after Sanchez-Perez, Sidorov & Gelbukh (PAN 2014): sentence pairs
# that share weighted vocabulary (or that dedup's matcher pairs) seed passages; seeds close on both
# sides cluster into passages, each validated by the similarity of its two fragments; a summary mode
# finds compact passages that condense the other text; overlaps and short chance passages are dropped.

_STEM_CHARS = 5


@dataclass
class _Terms:
    """Isf-weighted term vectors of both texts' sentences (rows), over their joint vocabulary."""

    a: np.ndarray
    b: np.ndarray


def _terms(pa: TextProfile, pb: TextProfile) -> _Terms:
    """Sentence term vectors: word types truncated to 5 letters (a language-free stemmer), weighted by isf.

    The inverse sentence frequency ``log(N / sf)`` is counted over the
    sentences of both texts, so function words and the topic's own words
    weigh little without a stopword list.
    """
    sets = [{w[:_STEM_CHARS] for w in words(s.text)} for s in pa.sentences + pb.sentences]
    sf: dict[str, int] = {}
    for terms in sets:
        for t in terms:
            sf[t] = sf.get(t, 0) + 1
    index = {t: k for k, t in enumerate(sf)}
    isf = np.log(len(sets) / np.array(list(sf.values()), dtype=np.float32)) if sf else np.zeros(0, np.float32)
    m = np.zeros((len(sets), len(index)), dtype=np.float32)
    for row, terms in enumerate(sets):
        for t in terms:
            m[row, index[t]] = isf[index[t]]
    n = len(pa.sentences)
    return _Terms(m[:n], m[n:])


def _lexical_similarity(terms: _Terms) -> tuple[np.ndarray, np.ndarray]:
    """Cosine and weighted Dice of every sentence pair's isf-weighted term sets."""
    ta, tb = terms.a, terms.b
    shared = (ta.any(axis=0) & tb.any(axis=0)) if ta.size and tb.size else np.zeros(ta.shape[1], dtype=bool)
    sa, sb = ta[:, shared], tb[:, shared]
    dot = sa @ sb.T
    norm = np.sqrt((ta ** 2).sum(axis=1))[:, None] * np.sqrt((tb ** 2).sum(axis=1))[None, :]
    cosine = np.divide(dot, norm, out=np.zeros_like(dot), where=norm > 0)
    inter = (sa > 0).astype(np.float32) @ sb.T  # sum of shared terms' weights
    total = ta.sum(axis=1)[:, None] + tb.sum(axis=1)[None, :]
    dice = np.divide(2 * inter, total, out=np.zeros_like(inter), where=total > 0)
    return cosine, dice


def _split(cluster: list[tuple[int, int]], side: int, gap: int) -> list[list[tuple[int, int]]]:
    """Cut a cluster wherever more than ``gap`` sentences separate its seeds on ``side``."""
    ordered = sorted(cluster, key=lambda p: (p[side], p[1 - side]))
    out = [[ordered[0]]]
    for prev, cur in zip(ordered, ordered[1:]):
        if cur[side] - prev[side] > gap + 1:
            out.append([])
        out[-1].append(cur)
    return out


def _clusters(seeds: list[tuple[int, int]], gap_a: int, gap_b: int) -> list[list[tuple[int, int]]]:
    """Group seeds that lie within the gaps of each other on both sides (split alternately until stable)."""
    groups = [seeds] if seeds else []
    while True:
        cut = [c for g in groups for a in _split(g, 0, gap_a) for c in _split(a, 1, gap_b)]
        if len(cut) == len(groups):
            return cut
        groups = cut


def _fragment_similarity(cluster: list[tuple[int, int]], terms: _Terms, va: np.ndarray, vb: np.ndarray) -> float:
    """How alike the cluster's two fragments are: the larger of term-vector and mean-embedding cosine."""
    ia = range(min(i for i, _ in cluster), max(i for i, _ in cluster) + 1)
    jb = range(min(j for _, j in cluster), max(j for _, j in cluster) + 1)
    best = 0.0
    for x, y in ((terms.a[ia].sum(axis=0), terms.b[jb].sum(axis=0)), (va[ia].sum(axis=0), vb[jb].sum(axis=0))):
        norm = float(np.linalg.norm(x) * np.linalg.norm(y))
        if norm > 0:
            best = max(best, float(x @ y) / norm)
    return best


def _extend(seeds: list[tuple[int, int]], gap_a: int, gap_b: int, terms: _Terms, va: np.ndarray, vb: np.ndarray,
            threshold: float) -> list[list[tuple[int, int]]]:
    """Clusters of seeds whose fragments are alike; a failing cluster is re-clustered with gaps one smaller."""
    out = []
    for cluster in _clusters(seeds, gap_a, gap_b):
        if len(cluster) == 1 or _fragment_similarity(cluster, terms, va, vb) >= threshold:
            out.append(cluster)
        elif gap_a > 0 or gap_b > 0:
            out += _extend(cluster, max(gap_a - 1, 0), max(gap_b - 1, 0), terms, va, vb, threshold)
    return out


@dataclass
class _Found:
    """A detected passage: its seed pairs and the first/last sentence it spans on each side."""

    seeds: list[tuple[int, int]]
    a: tuple[int, int]
    b: tuple[int, int]

    @classmethod
    def of(cls, seeds: list[tuple[int, int]]) -> "_Found":
        ia, jb = [i for i, _ in seeds], [j for _, j in seeds]
        return cls(sorted(seeds), (min(ia), max(ia)), (min(jb), max(jb)))

    def chars(self, pa: TextProfile, pb: TextProfile) -> tuple[tuple[int, int], tuple[int, int]]:
        """Character spans on both sides."""
        return ((pa.sentences[self.a[0]].start, pa.sentences[self.a[1]].end),
                (pb.sentences[self.b[0]].start, pb.sentences[self.b[1]].end))

    def term_cosine(self, terms: _Terms) -> float:
        """Cosine of the summed term vectors of the two fragments."""
        x = terms.a[self.a[0]: self.a[1] + 1].sum(axis=0)
        y = terms.b[self.b[0]: self.b[1] + 1].sum(axis=0)
        norm = float(np.linalg.norm(x) * np.linalg.norm(y))
        return float(x @ y) / norm if norm > 0 else 0.0


def _lockstep(seeds: list[tuple[int, int]], side: int, strength: np.ndarray) -> float:
    """Fraction of steps between consecutive seeded sentences on ``side`` that their best partners follow.

    A step follows when the best partner (strongest seed) advances by 0 up to
    as many sentences as the step itself: a copy keeps the order and pace of
    its source, while a summary condenses, so its partners skip ahead or go back.
    """
    best: dict[int, tuple[float, int]] = {}
    for i, j in seeds:
        key, other = (i, j) if side == 0 else (j, i)
        if key not in best or strength[i, j] > best[key][0]:
            best[key] = (float(strength[i, j]), other)
    keys = sorted(best)
    steps = [(k2 - k1, best[k2][1] - best[k1][1]) for k1, k2 in zip(keys, keys[1:])]
    return sum(0 <= dp <= dk for dk, dp in steps) / len(steps) if steps else 0.0


def _copied(seeds: list[tuple[int, int]], lex: np.ndarray, pa: TextProfile, pb: TextProfile, config: Config) -> bool:
    """A copied block with stray matches: most seeds near-verbatim (ratio ``lexical_match``), and those compact.

    At least two of the seeds, and half of them, must be near-verbatim, and
    the near-verbatim ones must span comparable stretches of both texts (under
    ``summary_ratio``): a summary may copy sentences, but from all over the
    text it condenses, while a copy keeps its block together.
    """
    close = [(i, j) for i, j in seeds if lex[i, j] >= config.lexical_match / 100.0]
    if len(close) < 2 or 2 * len(close) < len(seeds):
        return False
    (a0, a1), (b0, b1) = _Found.of(close).chars(pa, pb)
    return max(a1 - a0, b1 - b0) < config.summary_ratio * min(a1 - a0, b1 - b0)


def _summaries(seeds: list[tuple[int, int]], strength: np.ndarray, lex: np.ndarray, found: list[_Found],
               pa: TextProfile, pb: TextProfile, terms: _Terms, config: Config) -> list[_Found]:
    """Passages where a compact fragment of one text summarises the other text.

    Seeds are clustered with ``passage_gap`` on the compact side and
    ``summary_gap`` on the other. A candidate is a summary when its long side
    spans at least ``summary_ratio`` times its compact side, at least half of
    the compact side's sentences are seeded, its seeds do not keep lockstep
    (``copy_lockstep``: a copy stretched by stray matches) and are not mostly
    a copied block (:func:`_copied`), its fragments' term cosine passes
    ``passage_similarity``, and no ordinary passage spanning all its seeded
    compact sentences has a higher term cosine: a summary draws its words from
    the whole stretch, while a copied block plus stray matches is best without them.
    """
    out = []
    gap = config.passage_gap
    for side in (0, 1):
        wide = (gap, config.summary_gap) if side == 0 else (config.summary_gap, gap)
        for c in _clusters(seeds, *wide):
            f = _Found.of(c)
            short, long_ = (f.a, f.b) if side == 0 else (f.b, f.a)
            seeded = {x[side] for x in c}
            if long_[1] == long_[0] or 2 * len(seeded) < short[1] - short[0] + 1:
                continue
            (a0, a1), (b0, b1) = f.chars(pa, pb)
            s_len, l_len = (a1 - a0, b1 - b0) if side == 0 else (b1 - b0, a1 - a0)
            if (l_len < config.summary_ratio * s_len or _lockstep(c, side, strength) >= config.copy_lockstep
                    or _copied(c, lex, pa, pb, config)):
                continue
            sim = f.term_cosine(terms)
            explained = any((k.a, k.b)[side][0] <= min(seeded) and max(seeded) <= (k.a, k.b)[side][1]
                            and k.term_cosine(terms) > sim for k in found)
            if not explained and sim >= config.passage_similarity:
                out.append(f)
    return out


def _as_summary(f: _Found, strength: np.ndarray, lex: np.ndarray, pa: TextProfile, pb: TextProfile,
                config: Config) -> _Found:
    """Widen a summary to the whole text it condenses.

    A passage whose one side spans ``summary_ratio`` times the other is a
    summary, unless its seeds keep lockstep (``copy_lockstep``) or form a
    copied block (:func:`_copied`): then it is a copy stretched by stray
    matches and stays as found. A summary condenses a whole text (as in PAN's
    summary cases and in news digests), so its long side becomes the whole
    other text.
    """
    (a0, a1), (b0, b1) = f.chars(pa, pb)
    if _copied(f.seeds, lex, pa, pb, config):
        return f
    if b1 - b0 >= config.summary_ratio * (a1 - a0) and _lockstep(f.seeds, 0, strength) < config.copy_lockstep:
        return _Found(f.seeds, f.a, (0, len(pb.sentences) - 1))
    if a1 - a0 >= config.summary_ratio * (b1 - b0) and _lockstep(f.seeds, 1, strength) < config.copy_lockstep:
        return _Found(f.seeds, (0, len(pa.sentences) - 1), f.b)
    return f


def _resolve_overlaps(found: list[_Found], terms: _Terms, va: np.ndarray, vb: np.ndarray) -> list[_Found]:
    """Keep the best of passages that overlap on either side: most seeds first, then most alike fragments."""
    ranked = sorted(found, key=lambda f: (len(f.seeds), _fragment_similarity(f.seeds, terms, va, vb)), reverse=True)
    kept: list[_Found] = []
    for f in ranked:
        if not any((f.a[0] <= k.a[1] and k.a[0] <= f.a[1]) or (f.b[0] <= k.b[1] and k.b[0] <= f.b[1]) for k in kept):
            kept.append(f)
    return kept


def _long_passages(pa: TextProfile, va: np.ndarray, pb: TextProfile, vb: np.ndarray, config: Config,
                   languages: frozenset[str] | None) -> tuple[list[_Found], np.ndarray, np.ndarray, np.ndarray,
                                                             tuple[float, float]]:
    """Seed, extend and filter: the passages found, each sentence pair's score, cosine and ratio, and support."""
    score, sem, lex, support = _match_matrix(pa, va, pb, vb, config, None, languages)
    terms = _terms(pa, pb)
    cosine, dice = _lexical_similarity(terms)
    long_enough = (pa.lengths[:, None] >= config.min_sentence_chars) & (pb.lengths[None, :] >= config.min_sentence_chars)
    lexical_seed = long_enough & (cosine >= config.seed_similarity) & (dice >= config.seed_similarity)
    offset = _semantic_offset(pa.language, pb.language, languages, config)
    strong = (lex >= config.lexical_match / 100.0) | (sem + offset >= config.semantic_strong)
    strength = np.where(lexical_seed, np.maximum(score, cosine), score)
    # matches on cosine and shared names alone are common between texts on one topic: they help locate a
    # summary (whose sentences paraphrase loosely) but do not start an ordinary passage
    seeds = _select(np.where(lexical_seed | strong, strength, 0.0))
    gap = config.passage_gap
    found = [_Found.of(c) for c in _extend(seeds, gap, gap, terms, va, vb, config.passage_similarity)]
    found += _summaries(_select(strength), strength, lex, found, pa, pb, terms, config)
    found = _resolve_overlaps([_as_summary(f, strength, lex, pa, pb, config) for f in found], terms, va, vb)
    # a short passage must hold a near-verbatim sentence and more than one sentence pair: chance similarity is
    # likelier the less text is shared, short sentences reach high embedding cosine by chance, and one
    # near-verbatim short sentence (a heading, a stock phrase) recurs between unrelated documents
    found = [f for f in found if min(e - s for s, e in f.chars(pa, pb)) >= config.min_passage_chars
             or (len(f.seeds) > 1 and any(lex[i, j] >= config.lexical_match / 100.0 for i, j in f.seeds))]
    return found, strength, sem, lex, support


def align_texts(text_a: str, text_b: str, encoder: Encoder, config: Config | None = None) -> Alignment:
    """Profile, embed and align two raw texts of any length (no corpus needed).

    News-length pairs (both under ``long_text_chars``) are aligned as by
    :func:`align`: matched sentences in runs with at most ``max_gap`` between.
    Longer pairs go through seeding, extension and filtering: sentence pairs
    seed passages, seeds within ``passage_gap`` sentences of each other on
    both sides merge while the merged fragments stay alike, short passages
    need a close match, and a compact passage matched all over the other
    text is taken as a summary of that whole text.
    """
    config = config or Config()
    pa, pb = profile(text_a), profile(text_b)
    vectors = encoder.encode([s.text for s in pa.sentences] + [s.text for s in pb.sentences])
    n = len(pa.sentences)
    va, vb = vectors[:n], vectors[n:]
    languages = encoder_languages(encoder)
    if max(len(text_a), len(text_b)) < config.long_text_chars:
        return align(pa, va, pb, vb, config, text_a, text_b, pair_anchor_weights(pa, pb), languages)
    found, score, sem, lex, (support_a, support_b) = _long_passages(pa, va, pb, vb, config, languages)
    passages = [_passage(pa, pb, f.seeds, f.a, f.b, (score, sem, lex), text_a, text_b, config)
                for f in sorted(found, key=lambda f: (f.a, f.b))]
    cov_a, content_a = _covered(pa, {i for f in found for i in range(f.a[0], f.a[1] + 1)}, config.min_sentence_chars)
    cov_b, content_b = _covered(pb, {j for f in found for j in range(f.b[0], f.b[1] + 1)}, config.min_sentence_chars)
    return Alignment(passages, min(cov_a, 1.0), min(cov_b, 1.0), len({i for f in found for i, _ in f.seeds}),
                     len({j for f in found for _, j in f.seeds}), content_a, content_b,
                     round(support_a, 4), round(support_b, 4))
