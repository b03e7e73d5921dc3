"""Every threshold and knob, each declared once with its stage, type, range, unit and meaning.

A field of :class:`Config` is declared with :func:`setting`; that declaration
drives validation, the class docstring, ``dedup settings`` and which fields
``dedup rethreshold`` accepts. All similarities and ratios are on a 0-1 scale.

Thresholds that only act on saved evidence (the ``relations`` and ``families``
stages) can be changed without re-embedding: :func:`dedup.relate.decide` and
:func:`dedup.families.build_families` read them from the pair evidence.
Alignment values shape the evidence the judge (:mod:`dedup.judge`) reads; its
coefficients were fitted with the defaults here.
"""
from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, get_type_hints

STAGES: dict[str, str] = {
    "candidates": "which pairs of documents are compared at all (recall)",
    "alignment": "which sentences match and how they merge into passages (precision)",
    "long documents": "how a pair is aligned when either text has long_text_chars or more "
                      "(after Sanchez-Perez et al., PAN 2014)",
    "relations": "how a pair's relation is decided from its saved evidence",
    "families": "how linked pairs are grouped into families",
}
"""Pipeline stages, in order, with what their settings decide."""

RETHRESHOLD_STAGES = ("relations", "families")
"""Stages whose settings act only on saved evidence: ``dedup rethreshold`` may change them."""


class ConfigError(ValueError):
    """A configuration value is unknown, mistyped or out of range; the message says which and why."""


@dataclass(frozen=True)
class Setting:
    """What one field of :class:`Config` means and which values it accepts."""

    name: str
    kind: type  # int or float
    default: int | float
    stage: str
    low: int | float
    high: int | float
    unit: str
    help: str

    @property
    def rethreshold(self) -> bool:
        """Whether re-deciding saved results may change it (no re-alignment needed)."""
        return self.stage in RETHRESHOLD_STAGES

    @property
    def range(self) -> str:
        """The accepted values, e.g. ``0-1`` or ``16-4096``."""
        return f"{_number(self.low)}-{_number(self.high)}"

    def check(self, value: object) -> int | float:
        """``value`` as this setting's type, or :class:`ConfigError` saying what is wrong with it."""
        wanted = f"{self.range} ({self.unit})"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ConfigError(f"{self.name} must be a number in {wanted}, got {value!r}")
        if not isinstance(value, numbers.Integral) and not math.isfinite(value):
            raise ConfigError(f"{self.name} must be a finite number in {wanted}, got {value}")
        if self.kind is int and not isinstance(value, numbers.Integral) and not float(value).is_integer():
            raise ConfigError(f"{self.name} is a whole number of {self.unit}, got {value}")
        if not self.low <= value <= self.high:
            hint = (f"; on the 0-1 scale {_number(value)}% is {_number(float(value) / 100)}"
                    if self.high == 1 and 1 < value <= 100 else "")
            raise ConfigError(f"{self.name} must be in {wanted}, got {_number(value)}{hint}")
        return self.kind(value)


def setting(default: float, *, stage: str, low: float, high: float, unit: str, help: str) -> Any:
    """Declare a :class:`Config` field: its default, stage, accepted range, unit and meaning.

    The field's annotation (``int`` or ``float``) is its type.
    """
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    return field(default=default, metadata={"setting": {"stage": stage, "low": low, "high": high, "unit": unit,
                                                        "help": help}})


def _number(x: object) -> str:
    """``x`` without a trailing ``.0``: 1 not 1.0, 0.72 as is."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


_SIMILARITY = {"low": 0.0, "high": 1.0}


@dataclass(frozen=True)
class Config:
    """Thresholds and sizes for every stage (the settings are listed below)."""

    num_perm: int = setting(
        128, stage="candidates", low=16, high=4096, unit="permutations",
        help="MinHash permutations per document (datasketch); more make the Jaccard estimate finer and cost "
             "memory in proportion.")
    shingle_size: int = setting(
        3, stage="candidates", low=1, high=20, unit="words",
        help="Words per shingle for MinHash.")
    lsh_threshold: float = setting(
        0.1, stage="candidates", **_SIMILARITY, unit="Jaccard similarity",
        help="Jaccard threshold of the LSH index; low on purpose: rewrites share few n-grams and alignment "
             "restores precision.")
    sentence_neighbours: int = setting(
        10, stage="candidates", low=0, high=100, unit="sentences",
        help="Nearest sentences (by embedding) looked up per sentence.")
    neighbour_min_sim: float = setting(
        0.55, stage="candidates", **_SIMILARITY, unit="cosine",
        help="Cosine a sentence neighbour needs to count.")
    passage_lead_sentences: int = setting(
        5, stage="candidates", low=0, high=1000, unit="sentences",
        help="Sentences at the top of each article (of min_sentence_chars or more) that look for their "
             "nearest sentences in the whole corpus; 0: every sentence looks. A rewrite retells its source's "
             "lead, so this finds it from the source's side, with several times fewer searches at news "
             "length.")
    doc_neighbours: int = setting(
        20, stage="candidates", low=0, high=1000, unit="documents",
        help="Nearest documents (mean sentence embedding) looked up per document.")
    doc_min_sim: float = setting(
        0.45, stage="candidates", **_SIMILARITY, unit="cosine",
        help="Cosine a document neighbour needs to become a candidate.")
    max_candidates_per_doc: int = setting(
        40, stage="candidates", low=1, high=10000, unit="pairs",
        help="Candidate pairs kept per document (the most promising first); keeps the number of aligned "
             "pairs linear in the number of documents.")
    shared_link_neighbours: int = setting(
        10, stage="candidates", low=0, high=1000, unit="pairs",
        help="After a first round of alignment, pairs not yet compared whose two documents are both linked to a "
             "third (confidence family_anchor or more) are compared too, up to this many per document, the "
             "strongest first: a translation the topic's same-language articles crowded out of the searches "
             "meets the rest of its story through the articles it did match. 0: one round.")

    min_sentence_chars: int = setting(
        20, stage="alignment", low=0, high=1000, unit="characters",
        help="Shorter sentences are not aligned on their own.")
    verbatim_ratio: float = setting(
        0.98, stage="alignment", **_SIMILARITY, unit="rapidfuzz ratio",
        help="Ratio above which an aligned passage is verbatim.")
    near_verbatim_ratio: float = setting(
        0.75, stage="alignment", **_SIMILARITY, unit="rapidfuzz ratio",
        help="Ratio above which an aligned passage is near-verbatim (at most verbatim_ratio).")
    lexical_match: float = setting(
        0.72, stage="alignment", **_SIMILARITY, unit="rapidfuzz ratio",
        help="Ratio that alone makes two sentences match, unless their numbers contradict and the ratio is "
             "below lexical_override.")
    lexical_override: float = setting(
        0.9, stage="alignment", **_SIMILARITY, unit="rapidfuzz ratio",
        help="Ratio above which contradicting numbers are an edit of one sentence (a corrected toll), not a "
             "different fact.")
    semantic_match: float = setting(
        0.5, stage="alignment", **_SIMILARITY, unit="cosine",
        help="Embedding cosine that makes two sentences match when they share specific content (anchor_min) "
             "and no number contradicts.")
    semantic_strong: float = setting(
        0.7, stage="alignment", **_SIMILARITY, unit="cosine",
        help="Cosine that makes a match even without shared specific content (translations, close "
             "paraphrases); at least semantic_match.")
    anchor_min: float = setting(
        0.3, stage="alignment", low=0.0, high=10.0, unit="summed rarity weight",
        help="Summed weight of shared numbers and names (each weighted by corpus rarity, 1 = unique) a "
             "semantic match below semantic_strong needs.")
    word_match: float = setting(
        0.3, stage="alignment", **_SIMILARITY, unit="weighted word cosine",
        help="Rarity-weighted cosine of two sentences' words that makes them match when the encoder knows "
             "neither article's language (Urdu under USE): shared rare words stand in for meaning.")
    cross_language_offset: float = setting(
        0.1, stage="alignment", **_SIMILARITY, unit="cosine",
        help="Added to the cosine of two sentences from articles in different languages before the semantic "
             "thresholds, and of two such articles when the judge compares them with their neighbourhoods: "
             "translations score lower than same-language paraphrases.")
    unknown_language_penalty: float = setting(
        0.25, stage="alignment", **_SIMILARITY, unit="cosine",
        help="Subtracted instead when the encoder knows neither article's language (USE v3 has no Croatian, "
             "Bulgarian, Urdu): its cosine between unrelated sentences there is high (99.9th percentile 0.74 "
             "on tass-dev, vs 0.53-0.59 for languages it knows), so only strong similarity (or lexical "
             "overlap) counts.")
    max_gap: int = setting(
        1, stage="alignment", low=0, high=100, unit="sentences",
        help="Unaligned sentences allowed inside one merged passage.")
    support_floor: float = setting(
        0.45, stage="alignment", **_SIMILARITY, unit="similarity",
        help="Best-counterpart similarity that counts 0 towards a side's soft support (reported beside "
             "coverage); below support_full.")
    support_full: float = setting(
        0.8, stage="alignment", **_SIMILARITY, unit="similarity",
        help="Best-counterpart similarity that counts 1 towards a side's soft support.")
    number_bonus: float = setting(
        0.1, stage="alignment", **_SIMILARITY, unit="similarity",
        help="Added to a sentence pair's similarity when they share a number, subtracted when both carry "
             "numbers and share none.")
    seed_similarity: float = setting(
        0.33, stage="long documents", **_SIMILARITY, unit="term similarity",
        help="Isf-weighted cosine and Dice of two sentences' word stems that make them a seed besides the "
             "sentence matcher.")
    passage_gap: int = setting(
        4, stage="long documents", low=0, high=1000, unit="sentences",
        help="Sentences allowed between seeds of one passage.")
    passage_similarity: float = setting(
        0.34, stage="long documents", **_SIMILARITY, unit="similarity",
        help="Similarity (term or mean-embedding cosine) a passage's two fragments need, else its gap "
             "shrinks.")
    summary_ratio: float = setting(
        2.0, stage="long documents", low=1.0, high=1000.0, unit="length ratio",
        help="A passage whose one side spans this many times the other is a summary (of the whole longer "
             "text).")
    summary_gap: int = setting(
        24, stage="long documents", low=0, high=1000, unit="sentences",
        help="Sentences allowed between seeds on the summarised side.")
    copy_lockstep: float = setting(
        0.9, stage="long documents", **_SIMILARITY, unit="share of steps",
        help="A passage whose sides differ by summary_ratio is not a summary when, between its consecutive "
             "seeded sentences on the compact side, the best partners advance in step (by 0 up to as many "
             "sentences) at least this often: a copy keeps its source's order and pace, and stray seeds only "
             "stretch it.")
    min_passage_chars: int = setting(
        150, stage="long documents", low=0, high=100_000, unit="characters",
        help="A shorter passage needs more than one sentence pair, one of them near-verbatim (ratio "
             "lexical_match).")
    long_text_chars: int = setting(
        4000, stage="long documents", low=0, high=10_000_000, unit="characters",
        help="Below this length on both sides, pairs are aligned as news (sentence runs with max_gap); 0 "
             "aligns every pair as documents (seed, extend, summaries).")

    link_confidence: float = setting(
        0.75, stage="relations", **_SIMILARITY, unit="probability",
        help="Confidence (the judge's probability that both articles derive from one source report) that "
             "makes a pair a link (rewrite, near-duplicate or duplicate); below it a pair sharing passages "
             "is related.")
    related_min_confidence: float = setting(
        0.01, stage="relations", **_SIMILARITY, unit="probability",
        help="Confidence below which a corpus run does not save a pair sharing passages at all (so it is "
             "neither listed as related, nor under a document's 'also', nor in a related group): the judge sees "
             "next to no chance of one source, as for two stories sharing only a stock phrase or boilerplate. "
             "At most link_confidence; rethreshold can raise it but not bring back pairs a run did not save.")
    duplicate_coverage: float = setting(
        0.9, stage="relations", **_SIMILARITY, unit="share of content",
        help="Both sides covered this much by verbatim passages makes a link a duplicate.")
    near_duplicate_coverage: float = setting(
        0.8, stage="relations", **_SIMILARITY, unit="share of content",
        help="Both sides covered this much, mostly (near-)verbatim, makes a link a near-duplicate; at most "
             "duplicate_coverage.")
    family_anchor: float = setting(
        0.5, stage="families", **_SIMILARITY, unit="probability",
        help="Confidence that some pair between two groups needs for them to merge into one family, however "
             "high their average (many weak pairs do not make a family). Lower than link_confidence, it lets a "
             "family hold a member, such as a translation, whose pairs with it are likely but not sure enough "
             "to show as links: they show as related inside the family.")
    family_link: float = setting(
        0.3, stage="families", **_SIMILARITY, unit="mean confidence",
        help="Average confidence two groups need to merge into one family (pairs never compared count 0, "
             "related pairs their confidence).")
    also_min_sentences: int = setting(
        2, stage="families", low=0, high=1000, unit="sentences",
        help="Aligned sentences a related pair needs to list the other's family under a document's 'also'.")
    related_group_link: float = setting(
        0.05, stage="families", **_SIMILARITY, unit="mean confidence",
        help="Average confidence of the related pairs (those with also_min_sentences aligned sentences) between "
             "families or singletons that shows them as one related group; averaged like family_link, so "
             "groups stay small instead of chaining every story that shares a background sentence.")
    date_window_days: int = setting(
        14, stage="families", low=0, high=3650, unit="days",
        help="Rewrites follow their source within days: a pair dated further apart (both dates known) is "
             "evidence, not a family link, unless it is a (near-)duplicate, and no family spans more days "
             "than this between its dated members. 0 disables the rule.")
    keep_share: float = setting(
        0.2, stage="families", **_SIMILARITY, unit="share of content",
        help="Share of a family member's content that no kept member already holds for it to be kept; a member "
             "below it (a copy, or a rewrite adding little) is marked drop in documents.jsonl.")

    def __post_init__(self) -> None:
        for s in SETTINGS.values():
            object.__setattr__(self, s.name, s.check(getattr(self, s.name)))
        for low, high, strict, why in _ORDERED:
            a, b = getattr(self, low), getattr(self, high)
            if a > b or (strict and a == b):
                relation = "below" if strict else "at most"
                raise ConfigError(f"{low} ({_number(a)}) must be {relation} {high} ({_number(b)}): {why}")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, saved beside results so a run can be reproduced."""
        return asdict(self)

    def replace(self, **changes: Any) -> Config:
        """A copy with some values changed; unknown names are an error that suggests the closest."""
        for name in changes:
            find_setting(name)
        return Config(**{**asdict(self), **changes})


_TYPES = get_type_hints(Config)
SETTINGS: dict[str, Setting] = {
    f.name: Setting(name=f.name, kind=_TYPES[f.name], default=f.default, **f.metadata["setting"])
    for f in fields(Config)
}
"""Every setting by name, in declaration (pipeline) order."""

# Pairs (lower, higher, strictly, why) that only make sense in this order. lexical_override is not ordered
# against lexical_match: it also decides which contradicting sentences still count towards support and which
# sentence pairs relate.other_edition compares, so a strict lexical_match above it is consistent.
_ORDERED = (
    ("semantic_match", "semantic_strong", False,
     "semantic_strong matches without the shared names or numbers semantic_match needs"),
    ("near_verbatim_ratio", "verbatim_ratio", False, "a verbatim passage is also near-verbatim"),
    ("support_floor", "support_full", True, "support counts 0 at support_floor and 1 at support_full"),
    ("near_duplicate_coverage", "duplicate_coverage", False, "a duplicate is also a near-duplicate"),
    ("related_min_confidence", "link_confidence", False, "a run saves every link"),
)


def find_setting(name: str) -> Setting:
    """The setting called ``name``, or :class:`ConfigError` suggesting the closest name."""
    if name in SETTINGS:
        return SETTINGS[name]
    close = difflib.get_close_matches(name, SETTINGS, n=1)
    hint = f"did you mean {close[0]}?" if close else "`dedup settings` lists them all"
    raise ConfigError(f"unknown setting {name!r}; {hint}")


def parse_settings(items: Iterable[str]) -> dict[str, int | float]:
    """Values of ``NAME=VALUE`` strings (as given to ``--set``), each checked against its declaration.

    Only the single values are checked here; checks between settings happen
    when they are applied to a :class:`Config`.
    """
    values: dict[str, int | float] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(f"expected NAME=VALUE, got {item!r}")
        s = find_setting(name.strip())
        try:
            value: int | float = int(raw)
        except ValueError:
            try:
                value = float(raw)
            except ValueError:
                raise ConfigError(f"{s.name}: {raw.strip()!r} is not a number") from None
        values[s.name] = s.check(value)
    return values


def saved_config(values: Mapping[str, Any]) -> Config:
    """The :class:`Config` a results directory's ``run.json`` records.

    Names this version does not know are ignored, and rapidfuzz ratios saved
    on the 0-100 scale used before every similarity was 0-1 are read as 0-1.
    """
    known = {}
    for name, value in values.items():
        if name in SETTINGS:
            old_scale = SETTINGS[name].unit == "rapidfuzz ratio" and isinstance(value, (int, float)) and 1 < value <= 100
            known[name] = value / 100 if old_scale else value
    return Config(**known)


def _docstring() -> str:
    """The class docstring: every setting by stage, from the declarations."""
    lines = [(Config.__doc__ or "").strip(), ""]
    for stage, purpose in STAGES.items():
        lines.append(f"{stage.capitalize()}: {purpose}"
                     + (" (``dedup rethreshold`` can change these)." if stage in RETHRESHOLD_STAGES else "."))
        for s in SETTINGS.values():
            if s.stage == stage:
                lines.append(f"  ``{s.name}`` = {s.default!r} ({s.range} {s.unit}): {s.help}")
        lines.append("")
    return "\n".join(lines)


Config.__doc__ = _docstring()
