"""The same-source judgement: how likely two articles derive from one source report.

Two articles on one topic share names, background and often whole
sentences; two rewrites of one report share its *specific* content: the
lead's facts and figures, in sentences that say the same thing. The judge
reads a pair's evidence as a few features (:data:`FEATURES`) and turns them
into a probability with a logistic model fitted on labelled pairs
(``python -m benchmarks.judge``: the ``tune`` halves of the dev sets,
cross-validated by story) and shipped as coefficients in ``judge.json``.

The features are defined here once, for the pipeline, for two files in
``dedup diff`` and for the training script, so what was fitted is what runs.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from itertools import repeat
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .align import Alignment, Similarities, TextProfile
from .text import words

LEAD_HALF_LIFE = 4.0
"""Content sentences after which a sentence counts half in lead-weighted measures: a news article tells its
own story first, background later."""
LEAD_SENTENCES = 3
"""Content sentences that make an article's lead (where its own facts and figures are)."""

FEATURES = (
    "lead_quality_lo", "support_lo", "support_hi", "lead_coverage_lo", "doc_contrast", "first_sentence_match",
    "numbers_lo", "numbers_hi", "numbers_absent", "lead_numbers", "lead_numbers_disjoint", "names_lo", "names_hi",
    "specific_shared", "known", "unknown", "days_apart", "shorter_length", "jaccard", "word_cosine",
)
"""Every feature the judge can read (``_lo``/``_hi``: the lower/higher of the two sides)."""


@dataclass(frozen=True)
class LeadWeights:
    """Position weights of a text's sentences (computed once per text, read per pair).

    Content sentences (at least ``min_chars``, the aligner's
    ``min_sentence_chars``) weigh their length times
    ``0.5 ** (rank / LEAD_HALF_LIFE)``, rank counting content sentences from
    the top; others weigh 0.
    """

    weights: tuple[float, ...]
    total: float

    @classmethod
    def of(cls, lengths: Sequence[int], min_chars: int) -> "LeadWeights":
        weights, rank = [], 0
        for n in lengths:
            if n >= min_chars:
                weights.append(float(n) * 0.5 ** (rank / LEAD_HALF_LIFE))
                rank += 1
            else:
                weights.append(0.0)
        return cls(tuple(weights), sum(weights))

    def coverage(self, matched: Iterable[int]) -> float:
        """Share of the weight on the ``matched`` sentences."""
        return sum(self.weights[k] for k in set(matched)) / self.total if self.total else 0.0

    def rows(self, k: int = LEAD_SENTENCES) -> list[int]:
        """The first ``k`` content sentences: the lead."""
        return self._content[:k]

    def mean(self, values: np.ndarray) -> float:
        """Weighted mean of one value per sentence."""
        return float(np.dot(self._vector, values)) / self.total if self.total and len(values) else 0.0

    @cached_property
    def _content(self) -> list[int]:
        """The content sentences (every pair of the text reads its lead: worked out once)."""
        return [i for i, w in enumerate(self.weights) if w > 0]

    @cached_property
    def _vector(self) -> np.ndarray:
        """The weights as an array (once, not at every pair)."""
        return np.array(self.weights, dtype=np.float64)


@dataclass(frozen=True)
class Article:
    """What the judge reads of one article besides the alignment."""

    profile: TextProfile
    lead: LeadWeights
    chars: int
    day: int | None = None
    word_vector: Mapping[str, float] | None = None
    neighbourhood: float | None = None

    @classmethod
    def of(cls, profile: TextProfile, chars: int, min_chars: int, day: int | None = None,
           word_vector: Mapping[str, float] | None = None, neighbourhood: float | None = None) -> "Article":
        return cls(profile, LeadWeights.of(profile.lengths.tolist(), min_chars), chars, day, word_vector,
                   neighbourhood)

    def lead_rows(self, k: int = LEAD_SENTENCES) -> list[int]:
        """The first ``k`` content sentences."""
        return self.lead.rows(k)

    def numbers(self, rows: Iterable[int]) -> frozenset[str]:
        """Numbers of the given sentences."""
        return frozenset().union(*(self.profile.numbers[i] for i in rows))

    @cached_property
    def all_numbers(self) -> frozenset[str]:
        """Numbers of the whole text (read by every pair the article is in: worked out once)."""
        return self.numbers(range(len(self.profile.numbers)))

    @cached_property
    def lead_numbers(self) -> tuple[frozenset[str], frozenset[str]]:
        """Numbers of the first two and of the first :data:`LEAD_SENTENCES` content sentences."""
        return self.numbers(self.lead_rows(2)), self.numbers(self.lead_rows())

    @cached_property
    def number_keys(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """The numbers of the whole text, of the first two and of the first :data:`LEAD_SENTENCES` content
        sentences, keyed as in corpus anchor weights (``'#'`` + number)."""
        return tuple(frozenset("#" + x for x in s) for s in (self.all_numbers, *self.lead_numbers))

    @cached_property
    def all_names(self) -> frozenset[str]:
        """Name keys of the whole text."""
        return frozenset().union(*self.profile.names)

    @cached_property
    def surely_named(self) -> frozenset[str]:
        """Name keys the text writes after a sentence's first word somewhere: surely names, where a capitalised
        word only ever opening a sentence ('Prosecutors have opened...') may be a common word."""
        return frozenset().union(*self.profile.named)

    def anchor_totals(self, rarity: Mapping[str, float]) -> tuple[float, float, float]:
        """The summed ``rarity`` of the text's numbers, of its lead's numbers and of its names: what its side of
        a containment divides by. Every candidate pair the article is in reads them, so they are worked out once
        (for the last ``rarity`` asked)."""
        cached = self.__dict__.get("_anchor_totals")
        if cached is None or cached[0] is not rarity:
            numbers, _, lead = self.number_keys
            cached = rarity, tuple(sum(map(rarity.get, s, repeat(1.0))) for s in (numbers, lead, self.all_names))
            self.__dict__["_anchor_totals"] = cached  # (as cached_property stores its value on a frozen instance)
        return cached[1]


def word_vector(text: str, weights: Mapping[str, float]) -> dict[str, float]:
    """Unit tf-idf vector of ``text``'s words: sublinear term frequency times rarity (``weights``, unseen = 1)."""
    counts: dict[str, int] = {}
    for w in words(text):
        counts[w] = counts.get(w, 0) + 1
    vec = {w: (1.0 + math.log(c)) * weights.get(w, 1.0) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {w: v / norm for w, v in vec.items() if v > 0}


def _containment(mine: frozenset[str], total: float, shared: float) -> float | None:
    """Rarity-weighted share of the anchors ``mine`` (``total``: their summed weight) that the other text has
    too (``shared``: their summed weight), None when ``mine`` is empty, rounded as features are, and smoothed
    towards one half by one anchor's weight: one shared figure is weak evidence, ten are strong."""
    if not mine or total <= 0:
        return None
    return round((shared + 0.5) / (total + 1.0), 4)


def _lo_hi(x: float | None, y: float | None, missing: float) -> tuple[float, float]:
    """The lower and the higher of two values; one missing: the other twice; both: ``missing`` twice."""
    x = y if x is None else x
    y = x if y is None else y
    if x is None or y is None:
        return missing, missing
    return (x, y) if x <= y else (y, x)


ALIGNED = ("lead_quality_lo", "support_lo", "support_hi", "lead_coverage_lo", "specific_shared",
           "first_sentence_match")
"""The features that read the alignment; the others (:func:`pair_features`) are known before it."""
_UNALIGNED_RANGES = {k: (0.0, 1.0) for k in ALIGNED}


def pair_features(a: Article, b: Article, rarity: Mapping[str, float], *, unknown: bool, doc_cosine: float,
                  jaccard: float, cross_language_offset: float = 0.0) -> dict[str, float]:
    """The features of one pair that do not read its alignment (see :data:`FEATURES` and :data:`ALIGNED`).

    ``rarity``: corpus anchor weights (numbers as ``'#'``-prefixed keys);
    ``unknown``: the encoder knows neither article's language, so cosines
    say little and word overlap (:func:`word_vector`) stands in;
    ``cross_language_offset``: added to the cosine of articles in two
    languages, as to their neighbours' (:func:`dedup.candidates.find_candidates`).
    A feature the pair cannot have is left out (the judge then reads its average).
    """
    return pair_evidence(a, b, rarity, unknown=unknown, doc_cosine=doc_cosine, jaccard=jaccard,
                         cross_language_offset=cross_language_offset)[0]


def pair_evidence(a: Article, b: Article, rarity: Mapping[str, float], *, unknown: bool, doc_cosine: float,
                  jaccard: float, cross_language_offset: float = 0.0) -> tuple[dict[str, float], float]:
    """:func:`pair_features`, and the summed ``rarity`` of the anchors the two texts share (what bounds the
    ``specific_shared`` feature: :func:`aligned_ceiling`). A corpus run asks both of every candidate pair, so
    each shared set is worked out once here."""
    f: dict[str, float] = {}
    if a.neighbourhood is not None and b.neighbourhood is not None:  # (two files alone have no neighbourhood)
        # closer than each is to its usual neighbours (CSLS, Conneau et al. 2018): on a crowded topic all
        # articles are close, and only a rewrite is closer than the topic's typical article
        offset = cross_language_offset if a.profile.language != b.profile.language else 0.0
        f["doc_contrast"] = round(float(2 * (doc_cosine + offset) - a.neighbourhood - b.neighbourhood), 4)
    (na, top_a, lead_a), (nb, top_b, lead_b) = a.number_keys, b.number_keys
    (total_na, total_lead_a, total_names_a), (total_nb, total_lead_b, total_names_b) = (
        a.anchor_totals(rarity), b.anchor_totals(rarity))
    numbers = _weight(na & nb, rarity) if na and nb else 0.0
    f["numbers_lo"], f["numbers_hi"] = _lo_hi(_containment(na, total_na, numbers),
                                              _containment(nb, total_nb, numbers), 0.5)
    f["numbers_absent"] = 0.0 if na and nb else 1.0
    f["lead_numbers"] = _lo_hi(_containment(lead_a, total_lead_a, _weight(lead_a & nb, rarity)),
                               _containment(lead_b, total_lead_b, _weight(lead_b & na, rarity)), 0.5)[0]
    f["lead_numbers_disjoint"] = float(bool(top_a and top_b and not top_a & nb and not top_b & na))
    names_a, names_b = a.all_names, b.all_names
    names = _weight(names_a & names_b, rarity) if names_a and names_b else 0.0
    f["names_lo"], f["names_hi"] = _lo_hi(_containment(names_a, total_names_a, names),
                                          _containment(names_b, total_names_b, names), 0.5)
    f["unknown"] = float(unknown)
    f["known"] = 1.0 - f["unknown"]
    if a.day is not None and b.day is not None:  # undated pairs leave it out: no date is no evidence
        f["days_apart"] = round(math.log1p(abs(a.day - b.day)), 4)
    f["shorter_length"] = round(math.log(max(1, min(a.chars, b.chars))), 4)
    f["jaccard"] = round(float(jaccard), 4)
    va, vb = a.word_vector, b.word_vector
    f["word_cosine"] = round(sum(v * vb.get(w, 0.0) for w, v in va.items()), 4) if unknown and va and vb else 0.0
    return f, numbers + names


def _weight(anchors: Iterable[str], rarity: Mapping[str, float]) -> float:
    """The summed ``rarity`` of some anchors (one not weighed counts 1)."""
    return sum(map(rarity.get, anchors, repeat(1.0)))


def _specific(shared: Iterable[str], rarity: Mapping[str, float]) -> float:
    """The ``specific_shared`` feature of shared anchors (names, and numbers keyed ``'#'``)."""
    return math.log1p(_weight(shared, rarity))


def aligned_ceiling(a: Article, b: Article, rarity: Mapping[str, float],
                    similar: Similarities | None = None, shared: float | None = None) -> dict[str, tuple[float, float]]:
    """The range each :data:`ALIGNED` feature can take, whatever the pair's alignment: shares and
    similarities lie in 0..1, and the aligned sentences can share at most the anchors the two texts share.

    ``similar``: the pair's sentence similarities, once worked out. They fix
    the support features (as :func:`features` reads them) and bound the lead
    quality by each sentence's best similarity to any long-enough sentence.
    ``shared``: the summed rarity of the anchors the two texts share, when
    known (:func:`pair_evidence`).
    """
    if shared is None:
        shared = _weight((a.number_keys[0] & b.number_keys[0]) | (a.all_names & b.all_names), rarity)
    ranges = dict(_UNALIGNED_RANGES)
    ranges["specific_shared"] = (0.0, round(math.log1p(shared), 4))
    if similar is not None:
        low, high = sorted(round(x, 4) for x in similar.support)  # as the alignment reports them
        ranges["support_lo"], ranges["support_hi"] = (low, low), (high, high)
        best_a, best_b = similar.best_bound()
        ranges["lead_quality_lo"] = (0.0, round(min(a.lead.mean(best_a), b.lead.mean(best_b)), 4))
    return ranges


def features(a: Article, b: Article, alignment: Alignment, rarity: Mapping[str, float], *, unknown: bool,
             doc_cosine: float, jaccard: float, known: Mapping[str, float] | None = None,
             cross_language_offset: float = 0.0) -> dict[str, float]:
    """The judge's features of one aligned pair (see :data:`FEATURES`): :func:`pair_features` (``known``
    when already worked out) and those of the alignment."""
    f = dict(known if known is not None else pair_features(a, b, rarity, unknown=unknown, doc_cosine=doc_cosine,
                                                           jaccard=jaccard,
                                                           cross_language_offset=cross_language_offset))
    f["lead_quality_lo"] = min(a.lead.mean(alignment.best_a), b.lead.mean(alignment.best_b))
    f["support_lo"], f["support_hi"] = min(alignment.support_a, alignment.support_b), max(alignment.support_a,
                                                                                          alignment.support_b)
    matches = alignment.matches
    f["lead_coverage_lo"] = min(a.lead.coverage(m.a for m in matches), b.lead.coverage(m.b for m in matches))
    shared: set[str] = set()
    for m in matches:  # specific content the aligned sentences share, weighted by rarity in the corpus
        shared |= {"#" + x for x in a.profile.numbers[m.a] & b.profile.numbers[m.b]}
        shared |= a.profile.names[m.a] & b.profile.names[m.b]
    f["specific_shared"] = _specific(shared, rarity)
    first_a, first_b = a.lead_rows(), b.lead_rows()
    f["first_sentence_match"] = max(
        [m.score for m in matches if (first_a[:1] and m.a == first_a[0] and m.b in first_b)
         or (first_b[:1] and m.b == first_b[0] and m.a in first_a)], default=0.0)
    return {k: round(float(v), 4) for k, v in f.items()}


_GATES = ("known", "unknown")
_COLUMN = {k: i for i, k in enumerate(FEATURES)}


def _values(f: Mapping[str, float]) -> list[float]:
    """The values of :data:`FEATURES` in order (NaN where missing), and a last 1 (what a term of one part is
    padded with)."""
    return [f.get(k, math.nan) for k in FEATURES] + [1.0]


@dataclass(frozen=True)
class Judge:
    """A fitted logistic model over feature terms (a feature, or a product ``x*y`` of two)."""

    terms: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    about: dict[str, Any]

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Judge":
        terms = tuple(d["terms"])
        unknown = {part for t in terms for part in t.split("*")} - set(FEATURES)
        if unknown:
            raise ValueError(f"judge model uses unknown features: {', '.join(sorted(unknown))}")
        several = [t for t in terms if len(set(t.split("*")) & set(ALIGNED)) > 1]
        if several:
            raise ValueError(f"judge model multiplies two alignment features in {', '.join(several)}: a term may "
                             f"hold one at most (the judge's ceiling reads each term at that feature's two ends)")
        return cls(terms, np.array(d["mean"], float), np.array(d["scale"], float), np.array(d["coef"], float),
                   float(d["intercept"]), dict(d.get("about", {})))

    def to_dict(self) -> dict[str, Any]:
        return {"terms": list(self.terms), "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "coef": self.coef.round(6).tolist(), "intercept": round(self.intercept, 6), "about": self.about}

    def values(self, f: Mapping[str, float]) -> np.ndarray:
        """The model's inputs (term values) for one pair's features; a term with a missing feature gets its
        training mean, so it pulls neither way."""
        return self._terms(np.array(_values(f)))

    def _terms(self, rows: np.ndarray) -> np.ndarray:
        """Term values of a row of :func:`_values` (or of several rows); a term with a missing feature (NaN) at
        its mean."""
        out = rows[..., self._columns].prod(axis=-1)
        return np.where(np.isnan(out), self.mean, out)

    def contributions(self, f: Mapping[str, float]) -> dict[str, float]:
        """Each term's pull on the log-odds, relative to an average training pair; terms that do not apply
        to the pair (a missing feature, or one switched off by its ``known``/``unknown`` gate) are left out."""
        z = (self.values(f) - self.mean) / self.scale * self.coef
        return {t: round(float(v), 3) for t, v, parts in zip(self.terms, z, self._parts)
                if all(f.get(p) is not None for p in parts) and not any(p in _GATES and not f[p] for p in parts)}

    @cached_property
    def _parts(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(t.split("*")) for t in self.terms)

    @cached_property
    def _columns(self) -> np.ndarray:
        """Each term's parts as columns of a row of :data:`FEATURES` values, padded with a last column of 1."""
        width = max((len(p) for p in self._parts), default=1)
        return np.array([[_COLUMN[p] for p in parts] + [len(FEATURES)] * (width - len(parts))
                         for parts in self._parts], dtype=np.intp).reshape(len(self._parts), width)

    def probability(self, f: Mapping[str, float]) -> float:
        """Probability that the pair derives from one source report."""
        return self._probability(float(((self.values(f) - self.mean) / self.scale) @ self.coef))

    def ceiling(self, known: Mapping[str, float], ranges: Mapping[str, tuple[float, float]]) -> float:
        """The highest :meth:`probability` of a pair whose features are ``known`` but for the :data:`ALIGNED`
        ones, each given a ``(low, high)`` range: a term holds at most one of them (checked on loading), so it is
        linear in it and at its most favourable at one end."""
        return self.ceilings([known], [ranges])[0]

    def ceilings(self, known: Sequence[Mapping[str, float]],
                 ranges: Sequence[Mapping[str, tuple[float, float]]]) -> list[float]:
        """:meth:`ceiling` of many pairs at once (a corpus run asks it of every candidate pair): the same
        values, each pair's own terms summed as for one pair."""
        low = np.array([_values(f) for f in known], dtype=float).reshape(len(known), len(FEATURES) + 1)
        high = low.copy()
        for k in set().union(*ranges):  # a column at a time
            rows, spans = zip(*((r, s[k]) for r, s in enumerate(ranges) if k in s))
            low[list(rows), _COLUMN[k]], high[list(rows), _COLUMN[k]] = np.array(spans, dtype=float).T
        ends = self._terms(low), self._terms(high)
        best = (np.where(self.coef >= 0, np.maximum(*ends), np.minimum(*ends)) - self.mean) / self.scale
        return [self._probability(float(row @ self.coef)) for row in best]

    def _probability(self, z: float) -> float:
        z += self.intercept
        return round(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))), 4)


@lru_cache(maxsize=None)
def load_judge(encoder: str = "use") -> Judge:
    """The shipped judge fitted with ``encoder``'s features (the ``use`` judge for encoders without their own)."""
    models = json.loads(resources.files("dedup").joinpath("judge.json").read_text(encoding="utf-8"))
    return Judge.from_dict(models.get(encoder) or models["use"])
