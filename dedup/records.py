"""The results contract: typed records of a run, as written to and read from a results directory.

Every stage that decides something builds these records; the views
(:mod:`dedup.render`, :mod:`dedup.report`) only paint them. Each record has
``to_json`` (a plain JSON value, the line written to disk) and
``from_json``; a pair record can be seen from either document
(:meth:`PairRecord.seen_from` swaps every per-side field).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from typing import Any

# Relations between two articles. A *link* says "one source report"; ``related`` shares passages only.
DUPLICATE, NEAR_DUPLICATE, REWRITE, RELATED, NONE = "duplicate", "near-duplicate", "rewrite", "related", "none"
RELATIONS = (DUPLICATE, NEAR_DUPLICATE, REWRITE, RELATED)
LINKS = (DUPLICATE, NEAR_DUPLICATE, REWRITE)
"""Relations that say "same source report": the ones family building and users may trust as links."""

# How close an aligned passage is to its counterpart.
VERBATIM, NEAR_VERBATIM, PARAPHRASE = "verbatim", "near-verbatim", "paraphrase"
PASSAGE_KINDS = (VERBATIM, NEAR_VERBATIM, PARAPHRASE)

Offsets = tuple[int, int]
"""``(start, end)`` character offsets into a document's text."""


@dataclass(frozen=True, slots=True)
class Match:
    """Two aligned sentences (indices into each document's ``sentences``) and their scores (all 0-1).

    ``score`` is the match score the aligner used, ``semantic`` the embedding
    cosine and ``lexical`` the rapidfuzz ratio of the normalised sentences.
    """

    a: int
    b: int
    score: float
    semantic: float
    lexical: float

    def to_json(self) -> list[Any]:
        """Compact ``[a, b, score, semantic, lexical]``: a corpus run saves millions of these."""
        return [self.a, self.b, self.score, self.semantic, self.lexical]

    @classmethod
    def from_json(cls, row: list[Any]) -> "Match":
        return cls(int(row[0]), int(row[1]), row[2], row[3], row[4])

    def swapped(self) -> "Match":
        """The same match with the two sides exchanged."""
        return Match(self.b, self.a, self.score, self.semantic, self.lexical)


@dataclass(slots=True)
class Passage:
    """A run of aligned sentences: character offsets into both texts, its kind and score, its sentence matches."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: str
    score: float
    matches: list[Match] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"a_start": self.a_start, "a_end": self.a_end, "b_start": self.b_start, "b_end": self.b_end,
                "kind": self.kind, "score": self.score, "sentences": [m.to_json() for m in self.matches]}

    @classmethod
    def from_json(cls, d: dict[str, Any], matches: bool = True) -> "Passage":
        """``matches=False`` leaves the sentence matches out (family building needs offsets only)."""
        return cls(d["a_start"], d["a_end"], d["b_start"], d["b_end"], sys.intern(d["kind"]), d["score"],
                   [Match.from_json(m) for m in d["sentences"]] if matches else [])

    def swapped(self) -> "Passage":
        """The same passage with the two sides exchanged."""
        return Passage(self.b_start, self.b_end, self.a_start, self.a_end, self.kind, self.score,
                       [m.swapped() for m in self.matches])


@dataclass(slots=True)
class PairRecord:
    """Two documents sharing passages: relation, the judge's confidence, the scores behind it, the passages.

    ``evidence`` is the decision in words: ``summary`` (one sentence),
    ``shared_numbers`` / ``shared_names`` (specific facts the aligned
    sentences share), ``lead_figures`` (``[a's, b's]`` when the leads report
    different figures), ``for`` / ``against`` (the judge's strongest reasons)
    and ``overruled`` (why family building shows a link as related).
    ``features`` are the judge's inputs; they are symmetric (``_lo``/``_hi``).
    """

    a: str
    b: str
    relation: str
    confidence: float
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
    features: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> tuple[str, str]:
        return self.a, self.b

    def other(self, doc_id: str) -> str:
        """The document paired with ``doc_id``."""
        return self.b if doc_id == self.a else self.a

    def seen_from(self, doc_id: str) -> "PairRecord":
        """This pair with ``doc_id`` as side a: ids, every ``_a``/``_b`` score, passage offsets, sentence
        matches and the evidence's ``lead_figures`` swapped when ``doc_id`` is side b."""
        if doc_id == self.a:
            return self
        if doc_id != self.b:
            raise KeyError(f"{doc_id!r} is not in the pair {self.a!r} - {self.b!r}")
        evidence = dict(self.evidence)
        if evidence.get("lead_figures"):
            evidence["lead_figures"] = list(evidence["lead_figures"])[::-1]
        return replace(self, a=self.b, b=self.a, coverage_a=self.coverage_b, coverage_b=self.coverage_a,
                       support_a=self.support_b, support_b=self.support_a, lead_a=self.lead_b, lead_b=self.lead_a,
                       matched_a=self.matched_b, matched_b=self.matched_a,
                       passages=[p.swapped() for p in self.passages], evidence=evidence)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "relation": self.relation,
            "confidence": self.confidence,
            "evidence": self.evidence,
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
            "features": self.features,
            "found_by": list(self.found_by),
            "passages": [p.to_json() for p in self.passages],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any], matches: bool = True) -> "PairRecord":
        """A ``pairs.jsonl`` record. ``matches=False`` leaves out the passages' sentence matches and the
        features: family building reads only offsets and evidence, and holds every pair of a run at once."""
        sc = d["scores"]
        return cls(sys.intern(d["a"]), sys.intern(d["b"]), sys.intern(d["relation"]), d["confidence"],
                   sc["minhash_jaccard"], sc["embedding_cosine"], sc["coverage_a"], sc["coverage_b"],
                   sc["support_a"], sc["support_b"], sc["lead_coverage_a"], sc["lead_coverage_b"],
                   sc["matched_sentences_a"], sc["matched_sentences_b"], tuple(d["found_by"]),
                   [Passage.from_json(p, matches) for p in d["passages"]],
                   dict(d.get("features", {})) if matches else {}, dict(d.get("evidence", {})))


@dataclass(slots=True)
class Span:
    """A character range of one document; ``shared_with`` the documents that share it, ``passage`` the
    number of the core passage (one colour through every member) it belongs to, if any."""

    start: int
    end: int
    shared_with: list[str] = field(default_factory=list)
    passage: int | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end}
        if self.shared_with:
            d["shared_with"] = self.shared_with
        if self.passage is not None:
            d["passage"] = self.passage
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Span":
        return cls(d["start"], d["end"], list(d.get("shared_with", [])), d.get("passage"))


@dataclass(slots=True)
class Member:
    """One document's place in a family: what it shares, what it added, and its core passages."""

    id: str
    shared: list[Span]
    added: list[Span]
    shared_chars: int
    added_chars: int
    core: list[Span] = field(default_factory=list)

    @property
    def added_share(self) -> float:
        """Share of the member's shared-or-added characters that it added."""
        total = self.shared_chars + self.added_chars
        return round(self.added_chars / total, 4) if total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "shared_chars": self.shared_chars,
            "added_chars": self.added_chars,
            "added_share": self.added_share,
            "shared": [s.to_json() for s in self.shared],
            "added": [s.to_json() for s in self.added],
            "core": [s.to_json() for s in self.core],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Member":
        return cls(d["id"], [Span.from_json(s) for s in d["shared"]], [Span.from_json(s) for s in d["added"]],
                   d["shared_chars"], d["added_chars"], [Span.from_json(s) for s in d.get("core", [])])


@dataclass(slots=True)
class Family:
    """Articles built on the same source material, with the evidence that binds them.

    ``core`` holds the origin's core passages (each numbered; the members'
    own numbered spans are in their ``details``); ``passages`` counts them.
    """

    id: str
    members: list[str]
    origin: str
    origin_rule: str
    agencies: list[str]
    relations: dict[str, int]
    core: list[Span]
    details: list[Member]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def passages(self) -> int:
        """Core passages: aligned material that reaches the origin, counted once however many members share it."""
        return len({s.passage for s in self.core})

    def member(self, doc_id: str) -> Member:
        """The details of member ``doc_id``."""
        for m in self.details:
            if m.id == doc_id:
                return m
        raise KeyError(doc_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "size": self.size,
            "members": self.members,
            "origin": self.origin,
            "origin_rule": self.origin_rule,
            "agencies": self.agencies,
            "relations": self.relations,
            "core": [s.to_json() for s in self.core],
            "member_details": [m.to_json() for m in self.details],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Family":
        return cls(d["id"], list(d["members"]), d["origin"], d["origin_rule"], list(d["agencies"]),
                   dict(d["relations"]), [Span.from_json(s) for s in d["core"]],
                   [Member.from_json(m) for m in d["member_details"]])


@dataclass(frozen=True, slots=True)
class AlsoPair:
    """One pair behind an :class:`AlsoLink`: the partner in the other family and how they relate."""

    other: str
    relation: str
    confidence: float
    passages: int

    def to_json(self) -> dict[str, Any]:
        return {"with": self.other, "relation": self.relation, "confidence": self.confidence,
                "passages": self.passages}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "AlsoPair":
        return cls(d["with"], d["relation"], d["confidence"], d["passages"])


@dataclass(frozen=True, slots=True)
class AlsoLink:
    """Material of another family that a document mixes in: ``foreign_chars`` not shared in its own family."""

    family: str
    confidence: float
    foreign_chars: int
    pairs: tuple[AlsoPair, ...]

    def to_json(self) -> dict[str, Any]:
        return {"family": self.family, "confidence": self.confidence, "foreign_chars": self.foreign_chars,
                "pairs": [p.to_json() for p in self.pairs]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "AlsoLink":
        return cls(d["family"], d["confidence"], d["foreign_chars"], tuple(AlsoPair.from_json(p) for p in d["pairs"]))


@dataclass(slots=True)
class RelatedGroup:
    """Articles that share passages without being one family: related pairs across families or singletons.

    ``pairs`` are the related pairs (``a``, ``b``) that join the group;
    ``passages`` maps each member to its shared sentences' spans, numbered
    so that a passage several members share is one number in all of them.
    """

    id: str
    members: list[str]
    pairs: list[tuple[str, str]]
    passages: dict[str, list[Span]]

    @property
    def passage_count(self) -> int:
        return len({s.passage for spans in self.passages.values() for s in spans})

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "size": len(self.members), "members": self.members,
                "pairs": [list(p) for p in self.pairs],
                "passages": {m: [s.to_json() for s in spans] for m, spans in self.passages.items()}}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "RelatedGroup":
        return cls(d["id"], list(d["members"]), [(a, b) for a, b in d["pairs"]],
                   {m: [Span.from_json(s) for s in spans] for m, spans in d["passages"].items()})


@dataclass(slots=True)
class DocumentRecord:
    """One input document as saved: its metadata and text, its sentences' offsets, and where it landed.

    ``sentences`` are the offsets every pair's sentence indices point into
    (saved, so views never split a text again); ``input`` says where the
    document was read (``path``, ``line``).
    """

    id: str
    text: str
    sentences: list[Offsets]
    family: str | None = None
    is_origin: bool = False
    also: list[AlsoLink] = field(default_factory=list)
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None
    agencies: list[str] = field(default_factory=list)
    input: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def sentence_text(self, k: int) -> str:
        """The text of sentence ``k``."""
        start, end = self.sentences[k]
        return self.text[start:end]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "family": self.family,
            "is_origin": self.is_origin,
            "also": [x.to_json() for x in self.also],
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "date": self.date,
            "agencies": self.agencies,
            "input": self.input,
            "meta": self.meta,
            "text": self.text,
            "sentences": [list(s) for s in self.sentences],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any], sentences: list[Offsets] | None = None) -> "DocumentRecord":
        """A ``documents.jsonl`` record; ``sentences`` stand in where an older record saved none."""
        saved = d.get("sentences")
        return cls(
            id=d["id"],
            text=d["text"],
            sentences=[(int(s), int(e)) for s, e in saved] if saved is not None else list(sentences or []),
            family=d.get("family"),
            is_origin=bool(d.get("is_origin")),
            also=[AlsoLink.from_json(x) for x in d.get("also") or []],
            title=d.get("title"),
            source=d.get("source"),
            url=d.get("url"),
            date=d.get("date"),
            agencies=list(d.get("agencies") or []),
            input=dict(d.get("input") or {}),
            meta=dict(d.get("meta") or {}),
        )
