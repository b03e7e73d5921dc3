"""Decide what two articles are to each other from their alignment evidence.

Relations, strongest first:

* ``duplicate`` – both texts almost entirely covered by verbatim passages;
* ``near-duplicate`` – both almost entirely covered by verbatim or lightly
  edited passages;
* ``rewrite`` – built on the same source material: aligned passages cover
  ``rewrite_coverage`` of either side and at least ``rewrite_min_sentences``
  sentences align;
* ``related`` – some passage is shared (a background paragraph, one quote),
  but not the main material;
* ``none`` – nothing specific is shared; such pairs are not written out.

Only saved evidence is read here, so thresholds can change without
re-embedding or re-aligning.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .align import NEAR_VERBATIM, VERBATIM, Alignment, Match, Passage
from .candidates import CandidateScores
from .config import Config

DUPLICATE, NEAR_DUPLICATE, REWRITE, RELATED, NONE = "duplicate", "near-duplicate", "rewrite", "related", "none"
RELATIONS = (DUPLICATE, NEAR_DUPLICATE, REWRITE, RELATED)


@dataclass
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
    def from_dict(cls, d: dict[str, Any]) -> "PairEvidence":
        """Rebuild evidence from a ``pairs.jsonl`` record (for re-thresholding)."""
        sc = d["scores"]
        passages = [
            Passage(p["a_start"], p["a_end"], p["b_start"], p["b_end"], p["kind"], p["score"],
                    [Match(int(m[0]), int(m[1]), m[2], m[3], m[4]) for m in p["sentences"]])
            for p in d["passages"]
        ]
        return cls(d["a"], d["b"], d["relation"], d["strength"], sc["minhash_jaccard"], sc["embedding_cosine"],
                   sc["coverage_a"], sc["coverage_b"], sc["support_a"], sc["support_b"],
                   sc["matched_sentences_a"], sc["matched_sentences_b"], tuple(d["found_by"]), passages)


def classify(coverage_a: float, coverage_b: float, matched_a: int, matched_b: int,
             passages: list[Passage], config: Config) -> str:
    """The relation implied by coverage, support and passage kinds."""
    if not passages:
        return NONE
    lexical_share = sum(p.a_end - p.a_start for p in passages if p.kind in (VERBATIM, NEAR_VERBATIM))
    total = sum(p.a_end - p.a_start for p in passages) or 1
    low = min(coverage_a, coverage_b)
    if low >= config.duplicate_coverage and all(p.kind == VERBATIM for p in passages):
        return DUPLICATE
    if low >= config.near_duplicate_coverage and lexical_share / total >= 0.8:
        return NEAR_DUPLICATE
    if max(coverage_a, coverage_b) >= config.rewrite_coverage and min(matched_a, matched_b) >= config.rewrite_min_sentences:
        return REWRITE
    return RELATED


def relate(a_id: str, b_id: str, alignment: Alignment, candidate: CandidateScores, config: Config) -> PairEvidence:
    """Build the evidence record of one aligned candidate pair."""
    relation = classify(alignment.coverage_a, alignment.coverage_b, alignment.matched_a, alignment.matched_b,
                        alignment.passages, config)
    return PairEvidence(
        a=a_id,
        b=b_id,
        relation=relation,
        strength=round(max(alignment.coverage_a, alignment.coverage_b), 4),
        jaccard=candidate.jaccard,
        doc_cosine=candidate.doc_cosine,
        coverage_a=alignment.coverage_a,
        coverage_b=alignment.coverage_b,
        support_a=alignment.support_a,
        support_b=alignment.support_b,
        matched_a=alignment.matched_a,
        matched_b=alignment.matched_b,
        found_by=candidate.found_by,
        passages=alignment.passages,
    )
