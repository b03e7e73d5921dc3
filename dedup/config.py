"""One place for every threshold and knob, with documented defaults.

Thresholds that only act on saved evidence (relation and family rules) can be
changed without re-embedding: :func:`dedup.relate.classify` and
:func:`dedup.families.build_families` read them from the pair evidence.
Alignment values shape the evidence the judge (:mod:`dedup.judge`) reads; its
coefficients were fitted with the defaults here.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


class ConfigError(ValueError):
    """A configuration value is out of range; the message says which and why."""


@dataclass(frozen=True)
class Config:
    """Thresholds and sizes for every stage.

    Candidates (recall):
      ``num_perm``: MinHash permutations (datasketch).
      ``shingle_size``: words per shingle for MinHash.
      ``lsh_threshold``: Jaccard threshold of the LSH index; low on purpose,
        rewrites share few n-grams and alignment restores precision.
      ``sentence_neighbours``: nearest sentences looked up per sentence.
      ``neighbour_min_sim``: cosine a sentence neighbour needs to count.
      ``doc_neighbours``: nearest documents (mean sentence embedding) per doc.
      ``doc_min_sim``: cosine a document neighbour needs to become a candidate.
      ``max_candidates_per_doc``: cap that keeps candidate count linear in N.

    Alignment (precision):
      ``min_sentence_chars``: shorter sentences are not aligned on their own.
      ``verbatim_ratio`` / ``near_verbatim_ratio``: rapidfuzz ratio (0-100)
        above which an aligned passage is verbatim / near-verbatim.
      ``lexical_match``: rapidfuzz ratio that alone makes two sentences match
        (unless their numbers contradict and the ratio is below ``lexical_override``).
      ``lexical_override``: ratio above which contradicting numbers are an edit
        of one sentence (a corrected toll), not a different fact.
      ``semantic_match``: embedding cosine that makes two sentences match when
        they share specific content (``anchor_min``) and no number contradicts.
      ``semantic_strong``: cosine that makes a match even without shared
        specific tokens (translations, close paraphrases).
      ``cross_language_offset``: added to the cosine of two sentences from
        articles in different languages before the semantic thresholds:
        translations score lower than same-language paraphrases.
      ``unknown_language_penalty``: subtracted instead when the encoder knows
        neither article's language (USE v3 has no Croatian, Bulgarian, Urdu):
        its cosine between unrelated sentences there is high (99.9th
        percentile 0.74 on tass-dev, vs 0.53-0.59 for languages it knows), so
        only strong similarity (or lexical overlap) counts.
      ``word_match``: rarity-weighted cosine of two sentences' words that
        makes them match when the encoder knows neither article's language
        (Urdu under USE): shared rare words stand in for meaning.
      ``anchor_min``: summed weight of shared numbers and names (each weighted
        by corpus rarity, 1 = unique) a semantic match below ``semantic_strong`` needs.
      ``max_gap``: unaligned sentences allowed inside one merged passage.
      ``support_floor`` / ``support_full``: best-counterpart similarity that
        counts 0 / 1 towards a side's soft support (reported beside coverage).
      ``number_bonus``: added to a sentence pair's similarity when they share a
        number, subtracted when both carry numbers and share none.

    Long documents (``align_texts`` when either text has ``long_text_chars``
    or more; after Sanchez-Perez et al., PAN 2014):
      ``long_text_chars``: below this length on both sides, pairs are aligned
        as news (sentence runs with ``max_gap``); default 4000.
      ``seed_similarity``: isf-weighted cosine and Dice of two sentences' word
        stems that make them a seed besides the sentence matcher; default 0.33.
      ``passage_gap``: sentences allowed between seeds of one passage; default 4.
      ``passage_similarity``: similarity (term or mean-embedding cosine) a
        passage's two fragments need, else its gap shrinks; default 0.34.
      ``summary_ratio``: a passage whose one side spans this many times the
        other is a summary (of the whole longer text); default 2.
      ``summary_gap``: sentences allowed between seeds on the summarised side; default 24.
      ``copy_lockstep``: a passage whose sides differ by ``summary_ratio`` is
        not a summary when, between its consecutive seeded sentences on the
        compact side, the best partners advance in step (by 0 up to as many
        sentences) at least this often: a copy keeps its source's order and
        pace, and stray seeds only stretch it; default 0.9.
      ``min_passage_chars``: a shorter passage needs more than one sentence
        pair, one of them near-verbatim (ratio ``lexical_match``); default 150.

    Relations and families (re-thresholding needs no re-embedding). A pair's
    ``confidence`` is the judge's probability that both articles derive from
    one source report (:mod:`dedup.judge`, fitted on labelled pairs):
      ``link_confidence``: confidence that makes a pair a link (rewrite,
        near-duplicate or duplicate); below it a pair sharing passages is related.
      ``duplicate_coverage``: both sides covered this much, verbatim -> duplicate.
      ``near_duplicate_coverage``: both sides covered this much -> near-duplicate.
      ``family_link``: average confidence two groups need to merge into one
        family (pairs never compared count 0, related pairs their confidence).
      ``also_min_sentences``: aligned sentences that put a foreign family in ``also``.
      ``date_window_days``: rewrites follow their source within days; a pair
        dated further apart (both dates known) is evidence, not a family link,
        unless it is a (near-)duplicate, and no family spans more days than
        this between its dated members. 0 disables the rule.
    """

    num_perm: int = 128
    shingle_size: int = 3
    lsh_threshold: float = 0.1
    sentence_neighbours: int = 10
    neighbour_min_sim: float = 0.55
    doc_neighbours: int = 20
    doc_min_sim: float = 0.45
    max_candidates_per_doc: int = 40

    min_sentence_chars: int = 20
    verbatim_ratio: float = 98.0
    near_verbatim_ratio: float = 75.0
    lexical_match: float = 72.0
    lexical_override: float = 90.0
    semantic_match: float = 0.5
    semantic_strong: float = 0.7
    anchor_min: float = 0.3
    word_match: float = 0.3
    cross_language_offset: float = 0.1
    unknown_language_penalty: float = 0.25
    max_gap: int = 1
    support_floor: float = 0.45
    support_full: float = 0.8
    number_bonus: float = 0.1
    seed_similarity: float = 0.33
    passage_gap: int = 4
    passage_similarity: float = 0.34
    summary_ratio: float = 2.0
    summary_gap: int = 24
    copy_lockstep: float = 0.9
    min_passage_chars: int = 150
    long_text_chars: int = 4000

    link_confidence: float = 0.5
    duplicate_coverage: float = 0.9
    near_duplicate_coverage: float = 0.8
    family_link: float = 0.3
    also_min_sentences: int = 2
    date_window_days: int = 14

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{f.name} must be a number, got {value!r}")
            if value < 0:
                raise ConfigError(f"{f.name} must be >= 0, got {value}")
        for name in ("lsh_threshold", "neighbour_min_sim", "doc_min_sim", "semantic_match",
                     "semantic_strong", "cross_language_offset", "unknown_language_penalty",
                     "support_floor", "support_full", "number_bonus", "word_match", "seed_similarity", "passage_similarity",
                     "copy_lockstep", "link_confidence", "duplicate_coverage", "near_duplicate_coverage", "family_link"):
            if getattr(self, name) > 1:
                raise ConfigError(f"{name} is a similarity in [0, 1], got {getattr(self, name)}")
        for name in ("verbatim_ratio", "near_verbatim_ratio", "lexical_match", "lexical_override"):
            if getattr(self, name) > 100:
                raise ConfigError(f"{name} is a rapidfuzz ratio in [0, 100], got {getattr(self, name)}")
        if self.num_perm < 16:
            raise ConfigError(f"num_perm={self.num_perm} is too few for a MinHash estimate; use 64 or more")
        if self.shingle_size < 1:
            raise ConfigError("shingle_size must be at least 1 word")
        if self.support_full <= self.support_floor:
            raise ConfigError("support_full must be greater than support_floor")
        if self.summary_ratio < 1:
            raise ConfigError("summary_ratio compares the longer side with the shorter; it must be >= 1")
        if self.near_verbatim_ratio > self.verbatim_ratio:
            raise ConfigError("near_verbatim_ratio must not exceed verbatim_ratio")
        if self.near_duplicate_coverage > self.duplicate_coverage:
            raise ConfigError("near_duplicate_coverage must not exceed duplicate_coverage")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, saved beside results so a run can be reproduced."""
        return asdict(self)

    def replace(self, **changes: Any) -> "Config":
        """A copy with some values changed; unknown names are an error."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return Config(**{**asdict(self), **changes})
