"""The results contract: typed records of a run, as written to and read from a results directory.

Every stage that decides something builds these records; the views
(:mod:`dedup.render`, :mod:`dedup.report`) only paint them. Each record has
``to_json`` (a plain JSON value, the line written to disk) and
``from_json``; a pair record can be seen from either document
(:meth:`PairRecord.seen_from` swaps every per-side field).

``from_json`` checks what it reads (fields present, JSON types, known
relations and passage kinds, offsets in order and, for a document, within
its text) and raises :class:`RecordError` saying where and what is wrong;
what one record cannot check alone (ids known, offsets within the other
documents' texts) :mod:`dedup.results` checks.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Callable, TypeVar

# Relations between two articles. A *link* says "one source report"; ``related`` shares passages only.
DUPLICATE, NEAR_DUPLICATE, REWRITE, RELATED, NONE = "duplicate", "near-duplicate", "rewrite", "related", "none"
RELATIONS = (DUPLICATE, NEAR_DUPLICATE, REWRITE, RELATED)
LINKS = (DUPLICATE, NEAR_DUPLICATE, REWRITE)
"""Relations that say "same source report": the ones family building and users may trust as links."""

# How close an aligned passage is to its counterpart.
VERBATIM, NEAR_VERBATIM, PARAPHRASE = "verbatim", "near-verbatim", "paraphrase"
PASSAGE_KINDS = (VERBATIM, NEAR_VERBATIM, PARAPHRASE)

# What a document's family decided for it (:func:`dedup.families.keep_or_drop`).
KEEP, DROP = "keep", "drop"
DECISIONS = (KEEP, DROP)

Offsets = tuple[int, int]
"""``(start, end)`` character offsets into a document's text."""

T = TypeVar("T")


class RecordError(ValueError):
    """A JSON value that is not a valid record; the message says which field is wrong and how."""


_JSON_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "an integer",
               float: "a number", type(None): "null"}


def json_type(value: Any) -> str:
    """How a JSON value's type reads in an error message ("a list", "an integer", "null")."""
    return _JSON_NAMES.get(type(value), type(value).__name__)


def _object(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise RecordError(f"expected a JSON object, got {json_type(value)}")
    return value


def _field(d: dict[str, Any], key: str) -> Any:
    try:
        return d[key]
    except KeyError:
        raise RecordError(f"missing field {key!r}") from None


def _wrong(key: str, expected: str, value: Any) -> RecordError:
    return RecordError(f"field {key!r}: expected {expected}, got {json_type(value)}")


def _str(d: dict[str, Any], key: str) -> str:
    value = _field(d, key)
    if type(value) is not str:
        raise _wrong(key, "a string", value)
    return value


def _opt_str(d: dict[str, Any], key: str) -> str | None:
    value = d.get(key)
    if value is not None and type(value) is not str:
        raise _wrong(key, "a string or null", value)
    return value


def _is_count(value: Any) -> bool:
    return type(value) is int and value >= 0


def _count(d: dict[str, Any], key: str) -> int:
    value = _field(d, key)
    if not _is_count(value):
        raise _wrong(key, "a whole number >= 0", value)
    return value


def _is_number(value: Any) -> bool:
    return type(value) is float or type(value) is int


def _number(d: dict[str, Any], key: str) -> float:
    value = _field(d, key)
    if not _is_number(value):
        raise _wrong(key, "a number", value)
    return value


def _list(d: dict[str, Any], key: str, default: list[Any] | None = None) -> list[Any]:
    """Field ``key``, a list; absent or null gives ``default`` (None: the field is required)."""
    value = d.get(key) if default is not None else _field(d, key)
    if value is None and default is not None:
        return default
    if type(value) is not list:
        raise _wrong(key, "a list", value)
    return value


def _strs(d: dict[str, Any], key: str, default: list[Any] | None = None) -> list[str]:
    values = _list(d, key, default)
    for k, value in enumerate(values):
        if type(value) is not str:
            raise RecordError(f"{key}[{k}]: expected a string, got {json_type(value)}")
    return values


def _dict(d: dict[str, Any], key: str, default: dict[str, Any] | None = None) -> dict[str, Any]:
    """Field ``key``, an object; absent or null gives ``default`` (None: the field is required)."""
    value = d.get(key) if default is not None else _field(d, key)
    if value is None and default is not None:
        return default
    if type(value) is not dict:
        raise _wrong(key, "an object", value)
    return value


def _each(key: str, rows: list[Any], build: Callable[[Any], T]) -> list[T]:
    """``build`` applied to each of ``rows`` (field ``key``); an error names the item."""
    out = []
    for k, row in enumerate(rows):
        try:
            out.append(build(row))
        except RecordError as exc:
            raise RecordError(f"{key}[{k}]: {exc}") from None
    return out


def _one_of(d: dict[str, Any], key: str, known: tuple[str, ...]) -> str:
    value = _str(d, key)
    if value not in known:
        raise RecordError(f"field {key!r}: unknown {key} {value!r} (known: {', '.join(known)})")
    return value


def _ordered(key: str, start: int, end: int) -> None:
    if start > end:
        raise RecordError(f"{key}: start {start} after end {end}")


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

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "score": self.score, "semantic": self.semantic, "lexical": self.lexical}

    @classmethod
    def from_json(cls, row: dict[str, Any] | list[Any]) -> "Match":
        """Named fields; results of schema 3 and before saved ``[a, b, score, semantic, lexical]``."""
        if type(row) is list:
            if not (len(row) == 5 and _is_count(row[0]) and _is_count(row[1]) and _is_number(row[2])
                    and _is_number(row[3]) and _is_number(row[4])):
                raise RecordError(f"expected [a, b, score, semantic, lexical] (two sentence numbers, three "
                                  f"scores), got a list {row!r:.60}")
            return cls(row[0], row[1], row[2], row[3], row[4])
        d = _object(row)
        return cls(_count(d, "a"), _count(d, "b"), _number(d, "score"), _number(d, "semantic"),
                   _number(d, "lexical"))

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
        d = _object(d)
        a_start, a_end, b_start, b_end = (_count(d, "a_start"), _count(d, "a_end"), _count(d, "b_start"),
                                          _count(d, "b_end"))
        _ordered("side a", a_start, a_end)
        _ordered("side b", b_start, b_end)
        rows = _list(d, "sentences")
        return cls(a_start, a_end, b_start, b_end, sys.intern(_one_of(d, "kind", PASSAGE_KINDS)),
                   _number(d, "score"), _each("sentences", rows, Match.from_json) if matches else [])

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
    and ``overruled`` (why family building keeps the two apart although the pair is a link, shown as related, or
    confident enough to join families); ``same_text`` marks two documents with
    one text, compared once through the first of them.
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
        """A ``pairs.jsonl`` record. ``matches=False`` leaves out the passages' sentence matches, the
        features and the evidence but ``overruled``: family building reads only offsets, and holds every pair
        of a run at once."""
        d = _object(d)
        a, b = _str(d, "a"), _str(d, "b")
        if a == b:
            raise RecordError(f"a pair of document {a!r} with itself")
        try:
            sc = _dict(d, "scores")
            scores = [_number(sc, k) for k in ("minhash_jaccard", "embedding_cosine", "coverage_a", "coverage_b",
                                               "support_a", "support_b", "lead_coverage_a", "lead_coverage_b")]
            matched = _count(sc, "matched_sentences_a"), _count(sc, "matched_sentences_b")
        except RecordError as exc:
            raise RecordError(f"scores: {exc}") from None
        features = _dict(d, "features", {})
        for name, value in features.items():
            if not _is_number(value):
                raise RecordError(f"features: {name!r}: expected a number, got {json_type(value)}")
        return cls(sys.intern(a), sys.intern(b), sys.intern(_one_of(d, "relation", RELATIONS + (NONE,))),
                   _number(d, "confidence"), *scores, *matched, tuple(_strs(d, "found_by")),
                   _each("passages", _list(d, "passages"), lambda p: Passage.from_json(p, matches)),
                   dict(features) if matches else {}, _evidence(_dict(d, "evidence", {}), matches))


_EVIDENCE_TEXT = ("summary", "overruled")
_EVIDENCE_LISTS = ("shared_numbers", "shared_names", "for", "against")


def _evidence(d: dict[str, Any], whole: bool = True) -> dict[str, Any]:
    """A copy of a pair's evidence, its known fields checked (the views read them); not ``whole``: only
    ``overruled``."""
    if not whole:
        return {"overruled": _opt_str(d, "overruled")} if d.get("overruled") is not None else {}
    try:
        for key in _EVIDENCE_TEXT:
            _opt_str(d, key)
        for key in _EVIDENCE_LISTS:
            _strs(d, key, [])
        figures = _list(d, "lead_figures", [])
        if figures and (len(figures) != 2 or not all(type(side) is list and all(type(x) is str for x in side)
                                                     for side in figures)):
            raise RecordError("field 'lead_figures': expected two lists of figures (a's, b's)")
        if type(d.get("same_text", False)) is not bool:
            raise _wrong("same_text", "true/false", d["same_text"])
    except RecordError as exc:
        raise RecordError(f"evidence: {exc}") from None
    return dict(d)


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
        d = _object(d)
        start, end = _count(d, "start"), _count(d, "end")
        _ordered("span", start, end)
        passage = d.get("passage")
        if passage is not None and not _is_count(passage):
            raise _wrong("passage", "a whole number >= 0 or null", passage)
        return cls(start, end, list(_strs(d, "shared_with", [])), passage)


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
        d = _object(d)
        return cls(_str(d, "id"), _each("shared", _list(d, "shared"), Span.from_json),
                   _each("added", _list(d, "added"), Span.from_json), _count(d, "shared_chars"),
                   _count(d, "added_chars"), _each("core", _list(d, "core", []), Span.from_json))


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
        d = _object(d)
        members, origin = _strs(d, "members"), _str(d, "origin")
        if origin not in members:
            raise RecordError(f"origin {origin!r} is not one of the members")
        relations = _dict(d, "relations")
        for relation, count in relations.items():
            if relation not in RELATIONS + (NONE,) or not _is_count(count):
                raise RecordError(f"relations: expected counts of known relations, got {relation!r}: {count!r:.40}")
        details = _each("member_details", _list(d, "member_details"), Member.from_json)
        if sorted(m.id for m in details) != sorted(members):
            raise RecordError("member_details: not one entry per member")
        return cls(_str(d, "id"), list(members), origin, _str(d, "origin_rule"), list(_strs(d, "agencies")),
                   dict(relations), _each("core", _list(d, "core"), Span.from_json), details)


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
        d = _object(d)
        return cls(_str(d, "with"), _one_of(d, "relation", RELATIONS + (NONE,)), _number(d, "confidence"),
                   _count(d, "passages"))


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
        d = _object(d)
        return cls(_str(d, "family"), _number(d, "confidence"), _count(d, "foreign_chars"),
                   tuple(_each("pairs", _list(d, "pairs"), AlsoPair.from_json)))


@dataclass(slots=True)
class RelatedGroup:
    """Articles that share passages without being one family: a few families or singletons whose related
    pairs are strong enough to mean something (see :func:`dedup.families.core_and_related`).

    ``families`` are the family ids and singleton document ids the group
    joins; ``pairs`` the related pairs (``a``, ``b``) between them;
    ``passages`` maps each member to its shared sentences' spans, numbered so
    that a passage several members share is one number in all of them;
    ``summary`` says in one sentence what they share and why they are not one
    family.
    """

    id: str
    members: list[str]
    pairs: list[tuple[str, str]]
    passages: dict[str, list[Span]]
    families: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def passage_count(self) -> int:
        return len({s.passage for spans in self.passages.values() for s in spans})

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "size": len(self.members), "members": self.members, "families": self.families,
                "summary": self.summary, "pairs": [list(p) for p in self.pairs],
                "passages": {m: [s.to_json() for s in spans] for m, spans in self.passages.items()}}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "RelatedGroup":
        d = _object(d)
        members = _strs(d, "members")
        pairs = _list(d, "pairs")
        for k, pair in enumerate(pairs):
            if not (type(pair) is list and len(pair) == 2 and all(type(x) is str for x in pair)):
                raise RecordError(f"pairs[{k}]: expected two document ids, got {json_type(pair)}")
        passages = {}
        for member, spans in _dict(d, "passages").items():
            if member not in members:
                raise RecordError(f"passages: {member!r} is not one of the members")
            if type(spans) is not list:
                raise RecordError(f"passages[{member!r}]: expected a list, got {json_type(spans)}")
            passages[member] = _each(f"passages[{member!r}]", spans, Span.from_json)
        return cls(_str(d, "id"), list(members), [(a, b) for a, b in pairs], passages,
                   list(_strs(d, "families")), _str(d, "summary"))


@dataclass(slots=True)
class DocumentRecord:
    """One input document as saved: its metadata and text, its sentences' offsets, and where it landed.

    ``sentences`` are the offsets every pair's sentence indices point into
    (saved, so views never split a text again); ``input`` says where the
    document was read (``path``, ``line``). ``decision`` (keep or drop) and
    ``decision_reason`` are the family's keep/drop policy
    (:func:`dedup.families.keep_or_drop`); None in results saved before it existed.
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
    decision: str | None = None
    decision_reason: str | None = None

    def sentence_text(self, k: int) -> str:
        """The text of sentence ``k``."""
        start, end = self.sentences[k]
        return self.text[start:end]

    @property
    def heading(self) -> str:
        """What names the article for a reader: its title, or for untitled input (folders of .txt, feeds)
        its first sentence."""
        if self.title:
            return self.title
        return " ".join(self.sentence_text(0).split()) if self.sentences else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "family": self.family,
            "is_origin": self.is_origin,
            "decision": self.decision,
            "decision_reason": self.decision_reason,
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
        d = _object(d)
        text = _str(d, "text")
        saved = d.get("sentences")
        if saved is not None:
            saved = [_offsets(k, row, len(text)) for k, row in enumerate(_list(d, "sentences"))]
        day = _opt_str(d, "date")
        if day is not None:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise RecordError(f"field 'date': {day!r:.40} is not a date (YYYY-MM-DD)") from None
        if type(d.get("is_origin", False)) is not bool:
            raise _wrong("is_origin", "true/false", d["is_origin"])
        decision = _opt_str(d, "decision")
        if decision is not None and decision not in DECISIONS:
            raise RecordError(f"field 'decision': unknown decision {decision!r:.40} (known: {', '.join(DECISIONS)})")
        return cls(
            id=_str(d, "id"),
            text=text,
            sentences=saved if saved is not None else list(sentences or []),
            family=_opt_str(d, "family"),
            is_origin=d.get("is_origin", False),
            also=_each("also", _list(d, "also", []), AlsoLink.from_json),
            title=_opt_str(d, "title"),
            source=_opt_str(d, "source"),
            url=_opt_str(d, "url"),
            date=day,
            agencies=list(_strs(d, "agencies", [])),
            input=dict(_dict(d, "input", {})),
            meta=dict(_dict(d, "meta", {})),
            decision=decision,
            decision_reason=_opt_str(d, "decision_reason"),
        )


def _offsets(k: int, row: Any, length: int) -> Offsets:
    """Sentence ``k`` of a text of ``length`` characters: ``[start, end]`` within it."""
    if not (type(row) is list and len(row) == 2 and _is_count(row[0]) and _is_count(row[1])
            and row[0] <= row[1] <= length):
        raise RecordError(f"sentences[{k}]: expected [start, end] within the text ({length} characters), "
                          f"got {json_type(row)}{f' {row!r:.40}' if type(row) is list else ''}")
    return row[0], row[1]
