"""Decide what two articles are to each other, and say why.

Relations, strongest first:

* ``duplicate`` – the same report, both texts almost entirely covered by
  verbatim passages;
* ``near-duplicate`` – the same report, both almost entirely covered by
  verbatim or lightly edited passages;
* ``rewrite`` – the two articles' main material derives from the same
  source report (copied, paraphrased or translated);
* ``related`` – some passage is shared (background, one quote, a template
  sentence), but the judge does not take them for one report;
* ``none`` – nothing is aligned; such pairs are not written out.

Whether a pair is one report is the judge's call (:mod:`dedup.judge`): its
``confidence`` is the probability that both derive from the same source
report, and a pair is a link (duplicate, near-duplicate or rewrite) when it
reaches ``link_confidence``. Every pair record says in words which specific
facts the two share and what speaks against one report (``evidence``).

Relations are decided from saved evidence only (:func:`decide`), so
``rethreshold`` can change the thresholds without re-embedding.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .align import (Alignment, Similarities, align_texts, embed_texts, pair_anchor_weights, pair_word_weights,
                    reads_neither)
from .candidates import CandidateScores
from .config import Config
from .documents import Document
from .encoders import Encoder, encoder_languages
from .judge import Article, Judge, aligned_ceiling, features, load_judge, pair_evidence, word_vector
from .records import (DUPLICATE, LINKS, NEAR_DUPLICATE, NEAR_VERBATIM, NONE, RELATED, REWRITE, VERBATIM, Match,
                      PairRecord, Passage)
from .text import name_words, shingles, words, words_as_written


def decide(pair: PairRecord, config: Config) -> PairRecord:
    """Set ``pair``'s relation (and its summary in words) from its saved evidence: the judge's confidence,
    coverage and passage kinds. The one place relations are decided, for ``cluster`` and ``rethreshold``."""
    pair.relation = _relation(pair.confidence, pair.coverage_a, pair.coverage_b, pair.passages, config)
    if pair.passages:
        pair.evidence["summary"] = summarise(pair.relation, pair.confidence, pair.evidence, config.link_confidence)
    return pair


def _relation(confidence: float, coverage_a: float, coverage_b: float, passages: list[Passage],
              config: Config) -> str:
    """The relation implied by the judge's confidence, coverage and passage kinds."""
    if not passages:
        return NONE
    if confidence < config.link_confidence:
        return RELATED
    lexical_share = sum(p.a_end - p.a_start for p in passages if p.kind in (VERBATIM, NEAR_VERBATIM))
    total = sum(p.a_end - p.a_start for p in passages) or 1
    low = min(coverage_a, coverage_b)
    if low >= config.duplicate_coverage and all(p.kind == VERBATIM for p in passages):
        return DUPLICATE
    if low >= config.near_duplicate_coverage and lexical_share / total >= 0.8:
        return NEAR_DUPLICATE
    return REWRITE


def worth_aligning(pairs: Sequence[tuple[Article, Article, CandidateScores]], rarity: Mapping[str, float],
                   judge: Judge, languages: frozenset[str] | None, floor: float,
                   cross_language_offset: float) -> list[dict[str, float] | None]:
    """Each pair's features known before alignment (:func:`dedup.judge.pair_features`), or None when no
    alignment could bring the judge's confidence to ``floor``: such a pair would not be saved, so a corpus run
    does not align it. Far apart in time, with other figures, no closer than the topic's other articles: the
    judge's ceiling settles most candidate pairs of an archive without the aligner (arguments as :func:`relate`,
    ``cross_language_offset`` its config's; the ceilings of a batch of pairs are worked out together).
    """
    known, shared = zip(*(pair_evidence(a, b, rarity, doc_cosine=candidate.doc_cosine, jaccard=candidate.jaccard,
                                        unknown=reads_neither(a.profile.language, b.profile.language, languages),
                                        cross_language_offset=cross_language_offset)
                          for a, b, candidate in pairs)) if pairs else ((), ())
    ceilings = judge.ceilings(known, [aligned_ceiling(a, b, rarity, shared=s) for (a, b, _), s in zip(pairs, shared)])
    return [f if ceiling >= floor else None for f, ceiling in zip(known, ceilings)]


def worth_matching(pairs: Sequence[tuple[Article, Article, Mapping[str, float], Similarities]],
                   rarity: Mapping[str, float], judge: Judge, floor: float) -> list[bool]:
    """Whether each pair, its sentence pairs scored, can still reach ``floor``: ``(a, b, known, similar)``,
    ``known`` from :func:`worth_aligning` and ``similar`` from :func:`dedup.align.similarities`.

    The judge's ceiling again, now that each side's support is known and
    each lead sentence's best similarity is bounded: what is left of
    alignment (matching sentences, passages, evidence) is done only for
    pairs that could be saved (on generated news, a third of those scored).
    """
    ceilings = judge.ceilings([known for _, _, known, _ in pairs],
                              [aligned_ceiling(a, b, rarity, similar) for a, b, _, similar in pairs])
    return [ceiling >= floor for ceiling in ceilings]


def relate(a_id: str, b_id: str, alignment: Alignment, candidate: CandidateScores, config: Config,
           a: Article, b: Article, rarity: Mapping[str, float], judge: Judge,
           languages: frozenset[str] | None, floor: float | None = None,
           known: Mapping[str, float] | None = None) -> PairRecord | None:
    """Judge one aligned candidate pair and build its evidence record.

    ``a``/``b``: what the judge reads of each article (:class:`dedup.judge.Article`);
    ``rarity``: corpus anchor weights; ``languages``: those the encoder knows (None: all).
    ``floor``: below this confidence, None instead of a record, its evidence not worked out (a corpus
    run's ``related_min_confidence``; two files compared alone always get their record).
    ``known``: the pair's features known before alignment, when :func:`worth_aligning` worked them out.
    """
    la, lb = a.profile.language, b.profile.language
    f = features(a, b, alignment, rarity, unknown=reads_neither(la, lb, languages), doc_cosine=candidate.doc_cosine,
                 jaccard=candidate.jaccard, known=known, cross_language_offset=config.cross_language_offset)
    matches = alignment.matches
    edition = other_edition(matches, a, b, config)
    confidence = 0.0 if edition else judge.probability(f)
    if floor is not None and confidence < floor:
        return None
    ev = PairRecord(
        a=a_id,
        b=b_id,
        relation=NONE,
        confidence=confidence,
        jaccard=candidate.jaccard,
        doc_cosine=candidate.doc_cosine,
        coverage_a=alignment.coverage_a,
        coverage_b=alignment.coverage_b,
        support_a=alignment.support_a,
        support_b=alignment.support_b,
        lead_a=a.lead.coverage(m.a for m in matches),
        lead_b=b.lead.coverage(m.b for m in matches),
        matched_a=alignment.matched_a,
        matched_b=alignment.matched_b,
        found_by=candidate.found_by,
        passages=alignment.passages,
        features=f,
        evidence=explain(a, b, matches, f, judge, rarity) if matches else {},
    )
    if edition:
        ev.evidence["against"] = [EDITION] + ev.evidence.get("against", [])
    return decide(ev, config)


SAME_TEXT = "the same text, character for character"


def same_text_pair(a_id: str, b_id: str, length: int, sentences: list[tuple[int, int]], config: Config) -> PairRecord:
    """The record of two documents with the same text (``length`` characters): a duplicate, every sentence
    aligned with itself, one verbatim passage over the whole text.

    Such copies are compared once, through the document that stands for
    their text (:func:`dedup.families.same_text`); this is their evidence.
    """
    start, end = (sentences[0][0], sentences[-1][1]) if sentences else (0, length)
    matches = [Match(k, k, 1.0, 1.0, 1.0) for k in range(len(sentences))]
    pair = PairRecord(a=a_id, b=b_id, relation=NONE, confidence=1.0, jaccard=1.0, doc_cosine=1.0,
                      coverage_a=1.0, coverage_b=1.0, support_a=1.0, support_b=1.0, lead_a=1.0, lead_b=1.0,
                      matched_a=len(sentences), matched_b=len(sentences), found_by=("same text",),
                      passages=[Passage(start, end, start, end, VERBATIM, 1.0, matches)],
                      evidence={"same_text": True, "shared_numbers": [], "shared_names": [], "lead_figures": [],
                                "for": [SAME_TEXT], "against": []})
    return decide(pair, config)


EDITION = "the same wording with other figures: another edition of a recurring report"


def other_edition(matches: list[Match], a: Article, b: Article, config: Config) -> bool:
    """Whether the two are editions of a recurring report (a daily price list, a market close): most of
    their near-identical aligned sentences that carry figures give different ones.

    Figures conflict when each sentence has one the other lacks; a rewrite
    that drops a figure, or corrects one among several sentences, is not
    another edition. Two such sentences at least are needed.
    """
    checked = conflicting = 0
    for m in matches:
        na, nb = a.profile.numbers[m.a], b.profile.numbers[m.b]
        if m.lexical >= config.lexical_override and na and nb:
            checked += 1
            conflicting += not (na <= nb or nb <= na)
    return conflicting >= 2 and 2 * conflicting >= checked


def judge_texts(a: Document, b: Document, encoder: Encoder, config: Config) -> PairRecord:
    """Align and judge two documents without a corpus (``dedup diff a.txt b.txt``).

    The corpus statistics the pipeline uses are taken from the two texts
    alone: rarity of numbers and words among their sentences, the exact
    Jaccard of their word shingles instead of its MinHash estimate.
    """
    pa, va, pb, vb = embedded = embed_texts(a.text, b.text, encoder)
    alignment = align_texts(a.text, b.text, encoder, config, embedded)
    content = [(p.lengths >= config.min_sentence_chars) for p in (pa, pb)]
    means = [v[m].mean(axis=0) if m.any() else v.mean(axis=0) if len(v) else np.zeros(1) for v, m in
             zip((va, vb), content)]
    norms = float(np.linalg.norm(means[0]) * np.linalg.norm(means[1]))
    doc_cosine = float(means[0] @ means[1]) / norms if norms > 0 else 0.0
    sa, sb = (shingles(words(d.text), config.shingle_size) for d in (a, b))
    jaccard = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
    languages = encoder_languages(encoder)
    unknown = reads_neither(pa.language, pb.language, languages)
    word_weights = pair_word_weights(pa, pb)
    articles = [Article.of(p, len(d.text), config.min_sentence_chars, d.day,
                           word_vector(d.text, word_weights) if unknown else None) for p, d in ((pa, a), (pb, b))]
    pair = relate(a.id, b.id, alignment, CandidateScores(jaccard, doc_cosine), config, articles[0], articles[1],
                  pair_anchor_weights(pa, pb), load_judge(encoder.name), languages)
    assert pair is not None  # (no floor)
    return pair


def _days(f: Mapping[str, float]) -> int:
    return round(math.expm1(f["days_apart"]))


# What each judge term says when it pulls towards one report (+) or against it (-), each with the test of
# the fact it states: a term pulls by its value against the average training pair, so it can pull one way
# while its words would be false of the pair (a one-day gap is further apart than the average pair, not "far
# apart"); such a reason is left out, though it still counts in the confidence.
_Facts = Mapping[str, Any]
_REASONS: dict[str, tuple[Callable[[_Facts], str | None], Callable[[_Facts], str | None]]] = {
    "lead_quality": (lambda x: "their leads say the same things" if x["leads_aligned"] else None,
                     lambda x: None if x["leads_aligned"] else "their leads say different things"),
    "support": (lambda x: "most sentences have a close counterpart" if x["f"]["support_lo"] >= 0.5 else None,
                lambda x: "few sentences have a close counterpart" if x["f"]["support_hi"] < 0.5 else None),
    "lead_coverage": (lambda x: "the aligned passages cover the leads" if x["f"]["lead_coverage_lo"] >= 0.5
                      else None,
                      lambda x: None if x["leads_aligned"] else "the aligned passages miss the leads"),
    "doc_contrast": (lambda x: "they are closer to each other than to other articles on the topic"
                     if x["f"]["doc_contrast"] > 0 else None,
                     lambda x: "they are no closer to each other than to other articles on the topic"
                     if x["f"]["doc_contrast"] <= 0 else None),
    "names": (lambda x: "they name the same people and places" if x["f"]["names_lo"] >= 0.5 else None,
              lambda x: "they name different people and places" if x["f"]["names_hi"] < 0.5 else None),
    "specific_shared": (lambda x: "the aligned sentences share specific figures and names" if x["shared"] else None,
                        lambda x: None if x["shared"] else "the aligned sentences share no specific figure or name"),
    "numbers": (lambda x: "they give the same figures"
                if not x["f"]["numbers_absent"] and x["f"]["numbers_lo"] >= 0.5 else None,
                lambda x: "their figures differ" if not x["f"]["numbers_absent"] and x["f"]["numbers_hi"] < 0.5
                else None),
    "lead_numbers": (lambda x: "the leads' figures recur in the other text" if x["lead_recur"] else None,
                     lambda x: "the leads' figures are missing from the other text" if x["lead_missing"] else None),
    "lead_numbers_disjoint": (lambda x: None,
                              lambda x: "the leads report different figures" if x["f"]["lead_numbers_disjoint"]
                              else None),
    "first_sentence_match": (lambda x: "their first sentences match" if x["f"]["first_sentence_match"] else None,
                             lambda x: None if x["f"]["first_sentence_match"]
                             else "their first sentences do not match"),
    "days_apart": (lambda x: ("published the same day", "published a day apart")[_days(x["f"])]
                   if _days(x["f"]) <= 1 else None,
                   lambda x: f"published {_days(x['f'])} days apart" if _days(x["f"]) >= 2 else None),
    "jaccard": (lambda x: "they share word sequences" if x["f"]["jaccard"] >= 0.1 else None,
                lambda x: "they share few word sequences" if x["f"]["jaccard"] < 0.1 else None),
    "word_cosine": (lambda x: "they share rare words" if x["f"]["word_cosine"] >= 0.3 else None,
                    lambda x: "they share few rare words" if x["f"]["word_cosine"] < 0.3 else None),
}


def _reason(term: str, sign: int, facts: _Facts) -> str | None:
    """The words of a term's pull (``sign``) on this pair, or None when they would not be true of it."""
    base = term.split("*")[0]
    for key in (base, base.removesuffix("_lo").removesuffix("_hi")):
        if key in _REASONS:
            return _REASONS[key][0 if sign > 0 else 1](facts)
    return None


@lru_cache(maxsize=1 << 16)
def _spelled(sentence: str) -> dict[str, str]:
    """A sentence's names by key (a sentence is explained in every pair of its article: worked out once)."""
    return name_words(sentence)


@lru_cache(maxsize=1 << 16)
def _lower_words(sentence: str) -> frozenset[str]:
    """The words a sentence writes in lower case."""
    return frozenset(w for w in words_as_written(sentence) if w.islower())


def _written_lower(word: str, sentences: list[str], joined: str) -> bool:
    """Whether one of ``sentences`` (``joined``: all of them in one string) writes ``word`` (in lower case) as a
    whole word; only a sentence that holds it as a substring is split into words."""
    return word in joined and any(word in s and word in _lower_words(s) for s in sentences)


def explain(a: Article, b: Article, matches: list[Match], f: Mapping[str, float], judge: Judge,
            rarity: Mapping[str, float], top: int = 8) -> dict[str, Any]:
    """How sure the judge is, in words: the specific facts the aligned sentences share, figures that
    contradict, and the strongest reasons for and against one source report."""
    pa, pb = a.profile, b.profile
    numbers: set[str] = set()
    last: dict[str, int] = {}  # each name two aligned sentences share: the last such sentence of a (as spelled there)
    for m in matches:
        numbers |= pa.numbers[m.a] & pb.numbers[m.b]
        for k in pa.names[m.a] & pb.names[m.b]:
            last[k] = m.a
    # a capitalised word that neither text writes after a sentence's first word, or that the aligned sentences
    # also write in lower case, is a common word opening a sentence
    surely = a.surely_named | b.surely_named
    spelled = {row: _spelled(pa.sentences[row].text) for row in {row for k, row in last.items() if k in surely}}
    names = {k: spelled[row][k] for k, row in last.items() if k in surely and k in spelled[row]}
    if names:
        aligned = [pa.sentences[m.a].text for m in matches] + [pb.sentences[m.b].text for m in matches]
        joined = "\n".join(aligned)  # most names are never written in lower case: one search rules them out
        names = {k: w for k, w in names.items() if not _written_lower(w.casefold(), aligned, joined)}

    def rank(keys: Mapping[str, str]) -> list[str]:
        return [keys[k] for k in sorted(keys, key=lambda k: (-rarity.get(k, 1.0), keys[k]))][:top]

    (lead_a, _), (lead_b, _) = a.lead_numbers, b.lead_numbers  # the first two content sentences' figures
    rows_a, rows_b = set(a.lead_rows()), set(b.lead_rows())
    lead_figures = (lead_a, b.all_numbers), (lead_b, a.all_numbers)
    facts = {
        "f": f,
        "leads_aligned": any(m.a in rows_a and m.b in rows_b for m in matches),
        "shared": bool(numbers or names),
        # some side's lead has figures, and each side's lead figures are mostly (or mostly not) in the other text
        "lead_recur": any(mine for mine, _ in lead_figures)
        and all(len(mine & theirs) * 2 >= len(mine) for mine, theirs in lead_figures),
        "lead_missing": any(mine and len(mine & theirs) * 2 < len(mine) for mine, theirs in lead_figures),
    }
    contributions = judge.contributions(f)
    pulls = sorted(((v, t) for t, v in contributions.items() if abs(v) >= 0.25), reverse=True)
    reasons_for = [r for v, t in pulls if v > 0 and (r := _reason(t, 1, facts))]
    reasons_against = [r for v, t in reversed(pulls) if v < 0 and (r := _reason(t, -1, facts))]
    return {
        "shared_numbers": rank({"#" + n: n for n in numbers}),
        "shared_names": rank(names),
        "lead_figures": ([sorted(lead_a), sorted(lead_b)] if f.get("lead_numbers_disjoint") else []),
        "for": list(dict.fromkeys(reasons_for))[:3],
        "against": list(dict.fromkeys(reasons_against))[:3],
    }


def summarise(relation: str, confidence: float, evidence: Mapping[str, Any], link_confidence: float) -> str:
    """One sentence a reader can check: how sure, which specific facts are shared, and (for a related pair)
    why it is not linked: its families overrule it, or the judge is less sure than ``link_confidence``."""
    if evidence.get("same_text") and relation in LINKS:
        return f"{relation}: {SAME_TEXT}."
    facts = []
    if evidence.get("shared_numbers"):
        facts.append("figures " + ", ".join(evidence["shared_numbers"][:4]))
    if evidence.get("shared_names"):
        facts.append("names " + ", ".join(evidence["shared_names"][:4]))
    shared = f"the aligned sentences share {' and '.join(facts)}" if facts else "no specific figure or name is shared"
    if relation in LINKS:
        reasons = [shared] + list(evidence.get("for", []))[:2]
        return f"{relation}, {confidence:.0%} sure of one source: " + "; ".join(reasons) + "."
    if evidence.get("overruled"):
        why = [f"the judge gave {confidence:.0%}, but {evidence['overruled']}"]
    else:
        why = [f"{confidence:.0%} sure of one source, a link needs {link_confidence:.0%}"]
        if evidence.get("lead_figures"):
            mine, theirs = evidence["lead_figures"]
            why.append(f"the leads report different figures ({', '.join(mine[:3])} vs {', '.join(theirs[:3])})")
        why += [r for r in evidence.get("against", []) if "different figures" not in r][:2]
    return "related, not linked: " + "; ".join(why) + f"; {shared}."
