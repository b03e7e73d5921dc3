"""Long-document alignment: seeding, extension and filtering, with a summary mode.

After Sanchez-Perez, Sidorov & Gelbukh (PAN 2014): sentence pairs that share
weighted vocabulary (or that dedup's sentence matcher pairs) seed passages;
seeds close on both sides cluster into passages, each validated by the
similarity of its two fragments; a summary mode finds compact passages that
condense the other text; overlaps and short chance passages are dropped.
Verbatim copies are located token by token instead, with their exact
boundaries (a copied passage rarely starts where a sentence does), and take
the place of the sentence passages they explain.
:func:`dedup.align.news.align_texts` uses it for pairs past ``long_text_chars``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..config import Config
from ..records import VERBATIM, Passage
from ..text import words
from .passages import Alignment, covered, passage, sentence_matches
from .profile import TextProfile
from .scoring import long_enough, match_matrix, select, semantic_offset


_STEM_CHARS = 5
_TOKEN = re.compile(r"\S+")
_ANCHOR_TOKENS = 8
"""Tokens of the shared sequences that locate verbatim stretches (then extended as far as the texts agree)."""
_ANCHOR_REPEATS = 5
"""A token sequence recurring more often than this in one text is filler (rules, bullets) and anchors nothing."""

Span = tuple[int, int]


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
    sets = [{w[:_STEM_CHARS] for w in words(s.text)} for s in (*pa.sentences, *pb.sentences)]
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


def _verbatim_runs(text_a: str, text_b: str, min_chars: int) -> list[tuple[Span, Span]]:
    """Character spans of maximal stretches of identical tokens in both texts, ``min_chars`` or longer on both sides.

    Tokens are whitespace-delimited, so an exact copy is found whatever its
    line breaks and spacing (a re-wrapped page), with its exact boundaries,
    even where it starts or ends inside a sentence.
    """
    ma, mb = list(_TOKEN.finditer(text_a)), list(_TOKEN.finditer(text_b))
    wa, wb = [m.group() for m in ma], [m.group() for m in mb]
    k = _ANCHOR_TOKENS
    where: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(wb) - k + 1):
        where.setdefault(tuple(wb[j: j + k]), []).append(j)
    reached: dict[int, int] = {}  # diagonal (i - j) -> end (token of a) of the last run found on it
    runs = []
    for i in range(len(wa) - k + 1):
        starts = where.get(tuple(wa[i: i + k]), [])
        if len(starts) > _ANCHOR_REPEATS:
            continue
        for j in starts:
            if reached.get(i - j, -1) > i:
                continue
            i0, j0, i1, j1 = i, j, i + k, j + k
            while i0 > 0 and j0 > 0 and wa[i0 - 1] == wb[j0 - 1]:
                i0, j0 = i0 - 1, j0 - 1
            while i1 < len(wa) and j1 < len(wb) and wa[i1] == wb[j1]:
                i1, j1 = i1 + 1, j1 + 1
            reached[i - j] = i1
            span_a, span_b = (ma[i0].start(), ma[i1 - 1].end()), (mb[j0].start(), mb[j1 - 1].end())
            if min(span_a[1] - span_a[0], span_b[1] - span_b[0]) >= min_chars:
                runs.append((span_a, span_b))
    return runs


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


def _cosine(x: np.ndarray, y: np.ndarray) -> float:
    """Cosine of two vectors (0 when either is zero)."""
    norm = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y) / norm if norm > 0 else 0.0


def _fragment_similarity(cluster: list[tuple[int, int]], terms: _Terms, va: np.ndarray, vb: np.ndarray) -> float:
    """How alike the cluster's two fragments are: the larger of term-vector and mean-embedding cosine."""
    ia = range(min(i for i, _ in cluster), max(i for i, _ in cluster) + 1)
    jb = range(min(j for _, j in cluster), max(j for _, j in cluster) + 1)
    return max(0.0, _cosine(terms.a[ia].sum(axis=0), terms.b[jb].sum(axis=0)),
               _cosine(va[ia].sum(axis=0), vb[jb].sum(axis=0)))


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
    """A detected passage: its seed pairs and the first/last sentence it spans on each side.

    ``exact`` holds the character spans of a verbatim copy, whose boundaries
    need not fall on sentence boundaries.
    """

    seeds: list[tuple[int, int]]
    a: tuple[int, int]
    b: tuple[int, int]
    exact: tuple[Span, Span] | None = None

    @classmethod
    def of(cls, seeds: list[tuple[int, int]]) -> "_Found":
        ia, jb = [i for i, _ in seeds], [j for _, j in seeds]
        return cls(sorted(seeds), (min(ia), max(ia)), (min(jb), max(jb)))

    def chars(self, pa: TextProfile, pb: TextProfile) -> tuple[Span, Span]:
        """Character spans on both sides."""
        if self.exact is not None:
            return self.exact
        return ((pa.sentences[self.a[0]].start, pa.sentences[self.a[1]].end),
                (pb.sentences[self.b[0]].start, pb.sentences[self.b[1]].end))

    def term_cosine(self, terms: _Terms) -> float:
        """Cosine of the summed term vectors of the two fragments."""
        return _cosine(terms.a[self.a[0]: self.a[1] + 1].sum(axis=0), terms.b[self.b[0]: self.b[1] + 1].sum(axis=0))


def _whole_sentences(p: TextProfile, span: Span) -> int:
    """How many of a text's sentences lie wholly inside a character span."""
    return sum(span[0] <= s.start and s.end <= span[1] for s in p.sentences)


def _touched(p: TextProfile, span: Span) -> Span:
    """First and last sentence overlapping a character span."""
    hit = [k for k, s in enumerate(p.sentences) if s.end > span[0] and s.start < span[1]]
    return hit[0], hit[-1]


def _copies(text_a: str, text_b: str, pa: TextProfile, pb: TextProfile, lex: np.ndarray,
            config: Config) -> list[_Found]:
    """Verbatim copies: runs of identical tokens of ``min_passage_chars`` holding two whole sentences or more on
    each side, as passages with their exact boundaries.

    One verbatim sentence is no copy of a passage (a summary quotes one, a
    stock sentence recurs), while consecutive sentences copied word for word
    are. A copy's seeds are the sentences it touches, each paired with its
    closest (by lexical ratio) among those of the other side.
    """
    out = []
    for span_a, span_b in _verbatim_runs(text_a, text_b, config.min_passage_chars):
        if min(_whole_sentences(pa, span_a), _whole_sentences(pb, span_b)) >= 2:
            ia, jb = _touched(pa, span_a), _touched(pb, span_b)
            seeds = [(ia[0] + i, jb[0] + j) for i, j in select(lex[ia[0]: ia[1] + 1, jb[0]: jb[1] + 1])]
            out.append(_Found(seeds, ia, jb, (span_a, span_b)))
    return out


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


def _condenses(seeds: list[tuple[int, int]], side: int, strength: np.ndarray, lex: np.ndarray, config: Config) -> bool:
    """Whether seeds condense the other text rather than copy it, seen from their compact ``side``.

    A copy keeps its source's order and pace (:func:`_lockstep` at least
    ``copy_lockstep``), and so does a copied block among stray matches: its
    near-verbatim seeds (ratio ``lexical_match``), when they are two or more
    and half of all seeds, keep lockstep among themselves. A summary may quote
    sentences too, but skips source sentences between its quotes.
    """
    if _lockstep(seeds, side, strength) >= config.copy_lockstep:
        return False
    close = [(i, j) for i, j in seeds if lex[i, j] >= config.lexical_match]
    return len(close) < 2 or 2 * len(close) < len(seeds) or _lockstep(close, side, strength) < config.copy_lockstep


def _summarises(f: _Found, side: int, strength: np.ndarray, lex: np.ndarray, pa: TextProfile, pb: TextProfile,
                config: Config) -> bool:
    """Whether ``f``'s compact ``side`` summarises the other: the other side spans at least ``summary_ratio``
    times its characters, and the seeds condense the other text rather than copy it (:func:`_condenses`)."""
    (a0, a1), (b0, b1) = f.chars(pa, pb)
    s_len, l_len = (a1 - a0, b1 - b0) if side == 0 else (b1 - b0, a1 - a0)
    return l_len >= config.summary_ratio * s_len and _condenses(f.seeds, side, strength, lex, config)


def _summaries(seeds: list[tuple[int, int]], quoted: set[tuple[int, int]], strength: np.ndarray, lex: np.ndarray,
               found: list[_Found], pa: TextProfile, pb: TextProfile, terms: _Terms, config: Config) -> list[_Found]:
    """Passages where a compact fragment of one text summarises the other text.

    Seeds are clustered with ``passage_gap`` on the compact side and
    ``summary_gap`` on the other. A candidate is a summary when its long side
    spans at least ``summary_ratio`` times its compact side and its seeds
    condense (:func:`_summarises`), at least half of the compact side's
    sentences are seeded by pairs outside verbatim copies (``quoted`` pairs
    are a copy's evidence: a copied block amid weak matches on one topic is a
    copy, not a summary that quotes), its fragments' term cosine passes
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
            if long_[1] == long_[0] or 2 * len({x[side] for x in c if x not in quoted}) < short[1] - short[0] + 1:
                continue
            if not _summarises(f, side, strength, lex, pa, pb, config):
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
    summary if its seeds condense (:func:`_summarises`); otherwise it is a copy
    stretched by stray matches and stays as found. A summary condenses a whole
    text (as in PAN's summary cases and in news digests), so its long side
    becomes the whole other text.
    """
    if _summarises(f, 0, strength, lex, pa, pb, config):
        return _Found(f.seeds, f.a, (0, len(pb.sentences) - 1))
    if _summarises(f, 1, strength, lex, pa, pb, config):
        return _Found(f.seeds, (0, len(pa.sentences) - 1), f.b)
    return f


def _resolve_overlaps(found: list[_Found], pa: TextProfile, pb: TextProfile, terms: _Terms, va: np.ndarray,
                      vb: np.ndarray) -> list[_Found]:
    """Keep the best of passages that overlap on either side: most seeds first, then most alike fragments."""
    ranked = sorted(found, key=lambda f: (len(f.seeds), _fragment_similarity(f.seeds, terms, va, vb)), reverse=True)
    kept: list[tuple[_Found, tuple[Span, Span]]] = []
    for f in ranked:
        spans = f.chars(pa, pb)
        if not any(s[0] < k[1] and k[0] < s[1] for _, ks in kept for s, k in zip(spans, ks)):
            kept.append((f, spans))
    return [f for f, _ in kept]


def _within(inner: tuple[Span, Span], outer: tuple[Span, Span]) -> bool:
    """Whether character spans lie inside others on both sides."""
    return all(o[0] <= i[0] and i[1] <= o[1] for i, o in zip(inner, outer))


def _long_passages(pa: TextProfile, va: np.ndarray, pb: TextProfile, vb: np.ndarray, config: Config,
                   text_a: str, text_b: str, languages: frozenset[str] | None
                   ) -> tuple[list[_Found], np.ndarray, np.ndarray, np.ndarray, tuple[float, float]]:
    """Seed, extend and filter: the passages found, each sentence pair's score, cosine and ratio, and support.

    Verbatim copies (:func:`_copies`) are passages with exact boundaries. A
    sentence pair inside one is explained by it: a passage or summary most of
    whose seeds are explained is copies plus stray matches, and gives way to
    them. A copy inside another passage (an obfuscated passage with an
    untouched stretch, a summary quoting two sentences) is part of it.
    """
    score, sem, lex, support, _ = match_matrix(pa, va, pb, vb, config, None, languages)
    terms = _terms(pa, pb)
    cosine, dice = _lexical_similarity(terms)
    lexical_seed = long_enough(pa, pb, config) & (cosine >= config.seed_similarity) & (dice >= config.seed_similarity)
    offset = semantic_offset(pa.language, pb.language, languages, config)
    strong = (lex >= config.lexical_match) | (sem + offset >= config.semantic_strong)
    strength = np.where(lexical_seed, np.maximum(score, cosine), score)
    # matches on cosine and shared names alone are common between texts on one topic: they help locate a
    # summary (whose sentences paraphrase loosely) but do not start an ordinary passage
    seeds = select(np.where(lexical_seed | strong, strength, 0.0))
    copies = _copies(text_a, text_b, pa, pb, lex, config)

    def explained(seed: tuple[int, int]) -> bool:
        return any(c.a[0] <= seed[0] <= c.a[1] and c.b[0] <= seed[1] <= c.b[1] for c in copies)

    gap = config.passage_gap
    found = [_Found.of(c) for c in _extend(seeds, gap, gap, terms, va, vb, config.passage_similarity)]
    loose = select(strength)
    found += _summaries(loose, set(filter(explained, loose)), strength, lex, found, pa, pb, terms, config)
    found = [f for f in found if 2 * sum(map(explained, f.seeds)) < len(f.seeds)] + copies
    found = [_as_summary(f, strength, lex, pa, pb, config) for f in found]
    found = [f for f in found if f.exact is None
             or not any(g.exact is None and _within(f.chars(pa, pb), g.chars(pa, pb)) for g in found)]
    found = _resolve_overlaps(found, pa, pb, terms, va, vb)
    # a short passage must hold a near-verbatim sentence and more than one sentence pair: chance similarity is
    # likelier the less text is shared, short sentences reach high embedding cosine by chance, and one
    # near-verbatim short sentence (a heading, a stock phrase) recurs between unrelated documents
    found = [f for f in found if min(e - s for s, e in f.chars(pa, pb)) >= config.min_passage_chars
             or (len(f.seeds) > 1 and any(lex[i, j] >= config.lexical_match for i, j in f.seeds))]
    return found, strength, sem, lex, support


def _exact(p: Passage, spans: tuple[Span, Span] | None) -> Passage:
    """A passage with the exact boundaries of a verbatim copy, when it is one."""
    if spans is None:
        return p
    (p.a_start, p.a_end), (p.b_start, p.b_end) = spans
    p.kind = VERBATIM
    return p


def align_long(pa: TextProfile, va: np.ndarray, pb: TextProfile, vb: np.ndarray, config: Config,
               text_a: str, text_b: str, languages: frozenset[str] | None) -> Alignment:
    """Align two profiled long texts by seeding, extension and filtering (see the module docstring)."""
    found, score, sem, lex, (support_a, support_b) = _long_passages(pa, va, pb, vb, config, text_a, text_b, languages)
    passages = [_exact(passage(pa, pb, sentence_matches(f.seeds, (score, sem, lex)), f.a, f.b, text_a, text_b, config),
                       f.exact) for f in sorted(found, key=lambda f: f.chars(pa, pb))]
    cov_a, content_a = covered(pa, {i for f in found for i in range(f.a[0], f.a[1] + 1)}, config.min_sentence_chars)
    cov_b, content_b = covered(pb, {j for f in found for j in range(f.b[0], f.b[1] + 1)}, config.min_sentence_chars)
    return Alignment([m for p in passages for m in p.matches], min(cov_a, 1.0), min(cov_b, 1.0),
                     len({i for f in found for i, _ in f.seeds}), len({j for f in found for _, j in f.seeds}),
                     content_a, content_b, round(support_a, 4), round(support_b, 4), make_passages=lambda: passages)
