"""Decide what two articles are to each other from their alignment evidence.

Relations, strongest first:

* ``duplicate`` – both texts almost entirely covered by verbatim passages;
* ``near-duplicate`` – both almost entirely covered by verbatim or lightly
  edited passages;
* ``rewrite`` – built on the same source material: the pair's ``strength``
  reaches ``family_link`` (alone, it would make the two one family);
* ``related`` – some passage is shared (a background paragraph, one quote),
  but not the main material of both;
* ``none`` – nothing specific is shared; such pairs are not written out.

A pair's ``strength`` (what family clustering averages) is the geometric
mean of both sides' *lead coverage*: aligned content weighted by how early
it comes in each article. A news article puts its own story first; a shared
background paragraph further down (the recap of last month's accident in a
report on the repair) makes two reports related, not one family, and below
``lead_floor`` on either side it does not count at all.

Only saved evidence is read here, so thresholds can change without
re-embedding or re-aligning.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .align import NEAR_VERBATIM, VERBATIM, Alignment, Match, Passage
from .candidates import CandidateScores
from .config import Config

DUPLICATE, NEAR_DUPLICATE, REWRITE, RELATED, NONE = "duplicate", "near-duplicate", "rewrite", "related", "none"
RELATIONS = (DUPLICATE, NEAR_DUPLICATE, REWRITE, RELATED)


@dataclass(slots=True)
class PairEvidence:
    """A linked pair of documents: relation, the scores behind it, and the aligned passages."""

    a: str
    b: str
    relation: str
    strength: float
    jaccard: float
    doc_cosine: float
    coverage_a: float
    coverage_b: float
    support_a: float
    support_b: float
    lead_a: float
    lead_b: float
    matched_a: int
    matched_b: int
    found_by: tuple[str, ...]
    passages: list[Passage] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "relation": self.relation,
            "strength": self.strength,
            "scores": {
                "minhash_jaccard": round(self.jaccard, 4),
                "embedding_cosine": round(self.doc_cosine, 4),
                "coverage_a": round(self.coverage_a, 4),
                "coverage_b": round(self.coverage_b, 4),
                "support_a": round(self.support_a, 4),
                "support_b": round(self.support_b, 4),
                "lead_coverage_a": round(self.lead_a, 4),
                "lead_coverage_b": round(self.lead_b, 4),
                "matched_sentences_a": self.matched_a,
                "matched_sentences_b": self.matched_b,
            },
            "found_by": list(self.found_by),
            "passages": [
                {
                    "a_start": p.a_start, "a_end": p.a_end, "b_start": p.b_start, "b_end": p.b_end,
                    "kind": p.kind, "score": p.score,
                    "sentences": [[m.a, m.b, m.score, m.semantic, m.lexical] for m in p.matches],
                }
                for p in self.passages
            ],
        }


    @classmethod
    def from_dict(cls, d: dict[str, Any], matches: bool = True) -> "PairEvidence":
        """Rebuild evidence from a ``pairs.jsonl`` record (for re-thresholding and family building).

        ``matches=False`` leaves out the aligned sentences of each passage:
        family building reads only the passages' offsets, and a run keeps
        every linked pair's evidence at once.
        """
        sc = d["scores"]
        passages = [
            Passage(p["a_start"], p["a_end"], p["b_start"], p["b_end"], sys.intern(p["kind"]), p["score"],
                    [Match(int(m[0]), int(m[1]), m[2], m[3], m[4]) for m in p["sentences"]] if matches else [])
            for p in d["passages"]
        ]
        return cls(sys.intern(d["a"]), sys.intern(d["b"]), sys.intern(d["relation"]), d["strength"],
                   sc["minhash_jaccard"], sc["embedding_cosine"], sc["coverage_a"], sc["coverage_b"],
                   sc["support_a"], sc["support_b"], sc["lead_coverage_a"], sc["lead_coverage_b"],
                   sc["matched_sentences_a"], sc["matched_sentences_b"], tuple(d["found_by"]), passages)


def classify(strength_: float, coverage_a: float, coverage_b: float, passages: list[Passage], config: Config) -> str:
    """The relation implied by strength, coverage and passage kinds."""
    if not passages:
        return NONE
    lexical_share = sum(p.a_end - p.a_start for p in passages if p.kind in (VERBATIM, NEAR_VERBATIM))
    total = sum(p.a_end - p.a_start for p in passages) or 1
    low = min(coverage_a, coverage_b)
    if low >= config.duplicate_coverage and all(p.kind == VERBATIM for p in passages):
        return DUPLICATE
    if low >= config.near_duplicate_coverage and lexical_share / total >= 0.8:
        return NEAR_DUPLICATE
    if strength_ >= config.family_link:
        return REWRITE
    return RELATED


@dataclass(frozen=True)
class LeadWeights:
    """Position weights of a text's sentences for lead coverage (computed once per text, read per pair)."""

    weights: tuple[float, ...]
    total: float

    @classmethod
    def of(cls, lengths: Sequence[int], config: Config) -> "LeadWeights":
        """Content sentences (at least ``min_sentence_chars``) weigh their length times
        ``0.5 ** (rank / lead_half_life)``, rank counting content sentences from the top; others weigh 0."""
        weights, rank = [], 0
        for n in lengths:
            if n >= config.min_sentence_chars:
                weights.append(float(n) * 0.5 ** (rank / config.lead_half_life))
                rank += 1
            else:
                weights.append(0.0)
        return cls(tuple(weights), sum(weights))

    def coverage(self, matched: Iterable[int]) -> float:
        """Share of the weight on the ``matched`` sentences."""
        return sum(self.weights[k] for k in set(matched)) / self.total if self.total else 0.0


def lead_coverage(lengths: Sequence[int], matched: Iterable[int], config: Config) -> float:
    """Share of a text's content that is aligned, each sentence weighted by its position.

    Content sentences (at least ``min_sentence_chars``) weigh their length
    times ``0.5 ** (rank / lead_half_life)``, rank counting content sentences
    from the top: the lead weighs most, the tail little.
    """
    return LeadWeights.of(lengths, config).coverage(matched)


def strength(lead_a: float, lead_b: float, config: Config) -> float:
    """How much two articles' main material is shared: geometric mean of both lead coverages.

    0 when either side's lead coverage is under ``lead_floor``: then the
    shared passages are background to that article, whatever they are to
    the other (a short item fully quoted in a long follow-up's last lines).
    """
    if min(lead_a, lead_b) < config.lead_floor:
        return 0.0
    return round(math.sqrt(lead_a * lead_b), 4)


def relate(a_id: str, b_id: str, alignment: Alignment, candidate: CandidateScores, config: Config,
           weights_a: LeadWeights, weights_b: LeadWeights) -> PairEvidence:
    """Build the evidence record of one aligned candidate pair.

    ``weights_*``: each text's :class:`LeadWeights` (computed once per text).
    """
    matches = alignment.matches
    lead_a = weights_a.coverage(m.a for m in matches)
    lead_b = weights_b.coverage(m.b for m in matches)
    pair_strength = strength(lead_a, lead_b, config)
    return PairEvidence(
        a=a_id,
        b=b_id,
        relation=classify(pair_strength, alignment.coverage_a, alignment.coverage_b, alignment.passages, config),
        strength=pair_strength,
        jaccard=candidate.jaccard,
        doc_cosine=candidate.doc_cosine,
        coverage_a=alignment.coverage_a,
        coverage_b=alignment.coverage_b,
        support_a=alignment.support_a,
        support_b=alignment.support_b,
        lead_a=lead_a,
        lead_b=lead_b,
        matched_a=alignment.matched_a,
        matched_b=alignment.matched_b,
        found_by=candidate.found_by,
        passages=alignment.passages,
    )
