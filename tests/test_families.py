"""Families: membership from evidence, origin, additions, credits, and `also` for mixed articles."""
from __future__ import annotations

from dedup.families import average_linkage, components, credited_agencies


def test_components_join_through_any_chain_and_keep_isolated_nodes():
    labels = components(6, [(4, 2), (2, 0), (5, 3)]).tolist()
    assert labels[0] == labels[2] == labels[4] and labels[3] == labels[5]
    assert len({labels[0], labels[1], labels[3]}) == 3
    assert components(3, []).tolist() == [0, 1, 2]


def test_average_linkage_does_not_chain_through_a_bridge():
    # 0-1-2 is one tight group, 3-4-5 another; document 6 mixes both (links to 2 and 3).
    weights = {(0, 1): 0.9, (0, 2): 0.8, (1, 2): 0.85, (3, 4): 0.9, (3, 5): 0.8, (4, 5): 0.85,
               (2, 6): 0.6, (3, 6): 0.5}
    groups = average_linkage(7, weights, threshold=0.3)
    assert [0, 1, 2] in [g[:3] for g in groups]
    assert not any({0, 3} <= set(g) for g in groups)  # single linkage would give one blob


def test_average_linkage_is_deterministic_and_keeps_singletons():
    weights = {(0, 1): 0.5, (2, 3): 0.5}
    assert average_linkage(5, weights, 0.3) == average_linkage(5, dict(reversed(list(weights.items()))), 0.3)
    assert [4] in average_linkage(5, weights, 0.3)


def test_undated_articles_cannot_chain_stories_months_apart():
    # 0-1 dated 1 March, 2-3 dated 20 May; the undated 4 shares with both (a recap)
    weights = {(0, 1): 0.8, (2, 3): 0.8, (0, 4): 0.7, (1, 4): 0.7, (2, 4): 0.7, (3, 4): 0.7}
    days = [100, 100, 180, 181, None]
    assert not any({0, 2} <= set(g) for g in average_linkage(5, weights, 0.2, days, window=14))
    assert any({0, 2} <= set(g) for g in average_linkage(5, weights, 0.2))  # without dates they merge
    # a verbatim copy republished later is exempt
    assert any({0, 2} <= set(g) for g in average_linkage(5, {(0, 2): 0.95}, 0.2, days, 14, exempt=[(0, 2)]))


def test_sharing_a_background_recap_is_not_sharing_the_story():
    from dedup import Config, Dedup, Document, load_encoder

    accident = ("The service cabin of launch pad 31 collapsed into the flame trench on Thursday after the rocket lifted off. "
                "Roscosmos said the damage would take months to repair and no crewed launch is possible until then. "
                "Engineers from the Progress plant were sent to inspect the site on Friday morning. "
                "The agency did not say how much the repair would cost.")
    rewrite = ("After the rocket lifted off on Thursday, the service cabin of launch pad 31 collapsed into the flame trench. "
               "Roscosmos said the damage would take months to repair and no crewed launch is possible until then. "
               "Engineers from the Progress plant were sent to inspect the site on Friday morning. "
               "Observers called it the worst setback for the programme in years.")
    repaired = ("Roscosmos said on Tuesday that the service cabin of pad 31 had been rebuilt and tested under load. "
                "The next cargo ship will lift off on March 22 as planned, the agency's head told reporters. "
                "Crews worked in three shifts through the winter, welding a new frame on site. "
                "The first crewed flight from the pad is scheduled for the summer after two more tests. "
                "The head of the agency thanked the workers and the regional government for their help. "
                "A new fire suppression system was fitted while the cabin was rebuilt, he added. "
                "The cargo ship will carry fuel, food and equipment for the station's crew. "
                "Kazakhstan's space committee confirmed the date in a separate statement. "
                "The service cabin of launch pad 31 collapsed into the flame trench on Thursday after the rocket lifted off. "
                "Roscosmos said the damage would take months to repair and no crewed launch is possible until then.")
    docs = [Document("accident", accident), Document("rewrite", rewrite), Document("repaired", repaired)]
    results = Dedup(encoder=load_encoder("hash")).cluster(docs)
    family = {d.id: d.family for d in results.documents}
    assert family["accident"] is not None and family["accident"] == family["rewrite"]
    assert family["repaired"] != family["accident"]
    recap = next(p for p in results.pairs if {p.a, p.b} == {"accident", "repaired"})
    assert recap.passages, "the shared recap is still reported as evidence"
    assert recap.lead_a != recap.lead_b
    assert recap.relation == "related" and recap.confidence < Config().link_confidence


def test_agencies_are_found_as_credited():
    text = "MOSCOW, May 15. /TASS/. ... Reuters reported. «Интерфакс» сообщил. An APEC summit. (AFP)"
    assert credited_agencies(text) == ["TASS", "Reuters", "Interfax", "AFP"]
    assert "AP" not in credited_agencies("An APPLE a day; the map of the Alps.")


def test_sample_story_family_origin_and_members(sample_results, sample_labels):
    by_id = {d.id: d for d in sample_results.documents}
    assert set(by_id) == set(sample_labels)  # nothing lost, singletons included
    for story in ("port-strike", "rate-decision", "border-arrival", "border-deal", "vaccine-trial"):
        source = next(i for i, r in sample_labels.items() if r["cluster"] == story and r["role"] == "source")
        family = by_id[source].family
        assert family is not None, story
        fam = sample_results.family(family)
        assert fam.origin == source and fam.origin_rule.startswith("earliest date")
        members = set(fam.members)
        expected_core = {i for i, r in sample_labels.items() if r["cluster"] == story and r["role"] == "source"}
        assert expected_core <= members
        assert all(sample_labels[m]["cluster"] == story for m in members), (story, members)


def test_a_shown_link_needs_link_confidence_but_a_family_merge_only_family_anchor(sample_results):
    """A pair the judge thinks likely, but not sure enough to show as a link, is related: inside one family (the
    other members back it, as for a mixed article) it says the link needs more; across families, likely or sure,
    why its families keep the two apart. Lowering link_confidence to family_anchor shows the in-family ones as
    links and moves no family."""
    from dedup import Config, Dedup
    from dedup.records import LINKS, PairRecord

    default = Config()
    loose = Dedup(encoder=None, config=default.replace(link_confidence=default.family_anchor)).rethreshold(
        sample_results)
    family = {d.id: d.family for d in sample_results.documents}
    assert {d.id: d.family for d in loose.documents} == family

    def together(p: PairRecord) -> bool:
        return family[p.a] is not None and family[p.a] == family[p.b]

    inside = [p for p in sample_results.pairs
              if default.family_anchor <= p.confidence < default.link_confidence and together(p)]
    apart = [p for p in sample_results.pairs if p.confidence >= default.family_anchor and not together(p)]
    assert inside and apart, "the sample has likely pairs inside one family and across two"
    for p in inside:
        assert p.relation == "related" and "overruled" not in p.evidence
        assert f"{p.confidence:.0%} sure of one source, a link needs {default.link_confidence:.0%}" \
            in p.evidence["summary"]
        assert loose.pair(p.a, p.b).relation in LINKS
    for p in apart:
        assert p.relation == "related" and p.evidence["overruled"] in p.evidence["summary"]
        assert loose.pair(p.a, p.b).relation == "related"


def test_same_event_different_statement_is_not_one_family(sample_results):
    by_id = {d.id: d for d in sample_results.documents}
    assert by_id["arrival-nna"].family != by_id["deal-tass"].family


def test_unrelated_same_topic_articles_are_singletons(sample_results, sample_labels):
    by_id = {d.id: d for d in sample_results.documents}
    for doc_id, label in sample_labels.items():
        if label["role"] == "unrelated":
            assert by_id[doc_id].family is None, doc_id


def test_mixed_article_stays_with_main_story_and_lists_the_other(sample_results, sample_labels):
    by_id = {d.id: d for d in sample_results.documents}
    mix = by_id["weekly-mix"]
    assert mix.family == by_id["port-nna"].family
    assert [a.family for a in mix.also] == [by_id["rate-wire"].family]
    assert mix.also[0].pairs  # the evidence behind the link
    assert by_id["rate-wire"].also == []  # the original does not mix anything in


def test_added_commentary_is_reported_as_added(sample_results):
    doc = sample_results.document("port-herald")
    fam = sample_results.family(doc.family)
    member = next(m for m in fam.details if m.id == "port-herald")
    origin = next(m for m in fam.details if m.id == fam.origin)
    added_text = " ".join(doc.text[s.start:s.end] for s in member.added)
    assert member.added, "the verbatim copy's extra paragraph should be reported as added"
    assert member.shared and origin.shared
    # the added text is not in the original, the shared text is
    wire = sample_results.document(fam.origin).text
    assert added_text and added_text[:60] not in wire
    assert 0 < member.added_share < 0.5


def test_family_credits_agencies_from_member_texts(sample_results):
    by_id = {d.id: d for d in sample_results.documents}
    fam = sample_results.family(by_id["deal-tass"].family)
    assert "TASS" in fam.agencies


def test_pairs_the_judge_puts_under_the_floor_are_not_saved_and_change_no_family():
    from benchmarks.generate import generate
    from dedup import Config, Dedup, Document

    # generated news shares stock phrases and sign-offs between stories, as real outlets do
    docs = [Document(r["id"], r["text"], title=r["title"], date=r["date"]) for r in generate(120, seed=3)]
    everything = Dedup(Config(related_min_confidence=0.0), model="hash").cluster(docs)
    floor = Config().related_min_confidence
    under = [p for p in everything.pairs if p.confidence < floor]
    assert under and all(p.relation == "related" and p.passages for p in under)
    default = Dedup(model="hash").cluster(docs)
    assert [p.to_json() for p in default.pairs] == [p.to_json() for p in everything.pairs if p.confidence >= floor]
    assert [(d.id, d.family) for d in default.documents] == [(d.id, d.family) for d in everything.documents]
    again = Dedup(model="hash").rethreshold(everything)  # the floor raised on saved results
    assert [p.to_json() for p in again.pairs] == [p.to_json() for p in default.pairs]


def test_rethreshold_from_saved_results_needs_no_model(sample_results):
    from dedup import Config, Dedup

    class NoModel:
        name = "none"

        def encode(self, texts, batch_size=64):
            raise AssertionError("re-thresholding must not embed")

    same = Dedup(encoder=NoModel()).rethreshold(sample_results)
    assert [(d.id, d.family) for d in same.documents] == [(d.id, d.family) for d in sample_results.documents]
    strict = Dedup(Config(family_link=0.99), encoder=NoModel()).rethreshold(sample_results)
    assert sum(f.size for f in strict.families) < sum(f.size for f in sample_results.families)
    assert len(strict.documents) == len(sample_results.documents)
    def rewrites(r):
        return sum(p.relation == "rewrite" for p in r.pairs)

    assert rewrites(strict) < rewrites(sample_results)
    assert len(strict.pairs) == len(sample_results.pairs)  # the evidence itself is kept
    again = Dedup(encoder=NoModel()).rethreshold(sample_results)
    assert list(again.pairs) == list(sample_results.pairs)  # and re-deciding does not change the saved records


# --- related groups --------------------------------------------------------------------------------------------


def _related(a: str, b: str, confidence: float, sentences: int = 2) -> "PairRecord":
    """A related pair aligning the first ``sentences`` sentences of ``a`` and ``b`` (texts of :func:`_texts`)."""
    from dedup.records import Match, PairRecord, Passage

    end = 40 * sentences - 1
    return PairRecord(a, b, "related", confidence, jaccard=0.0, doc_cosine=0.5, coverage_a=0.3, coverage_b=0.3,
                      support_a=0.3, support_b=0.3, lead_a=0.0, lead_b=0.0, matched_a=sentences,
                      matched_b=sentences, found_by=("embedding",),
                      passages=[Passage(0, end, 0, end, "paraphrase", 0.7,
                                        [Match(k, k, 0.7, 0.7, 0.5) for k in range(sentences)])],
                      evidence={"shared_names": ["Lavrov"], "shared_numbers": []})


def _groups(pairs, dates=None, **settings):
    from dedup import Config
    from dedup.families import Numbered, core_and_related

    ids = sorted({x for p in pairs for x in (p.a, p.b)})
    text = "".join(f"Sentence number {k} of the background text. "[:39] + " " for k in range(4))
    return core_and_related([], map(Numbered.of, pairs), {x: text for x in ids},
                            {x: [(40 * k, 40 * k + 39) for k in range(4)] for x in ids},
                            dates or {x: "2025-03-01" for x in ids}, Config(**settings))


def test_a_chain_of_stories_sharing_background_is_not_one_related_group():
    """tass-dev's related pairs chained 89 of 147 articles (17 stories) into one group: a chain of stories,
    each sharing a background passage with the next only, falls into small groups."""
    chain = [_related(f"story-{k:02d}", f"story-{k + 1:02d}", 0.3) for k in range(20)]
    groups = _groups(chain)
    assert groups and max(len(g.members) for g in groups) <= 5
    assert sorted(m for g in groups for m in g.members) == sorted(set(m for g in groups for m in g.members))


def test_a_dense_set_of_related_stories_is_one_group_and_says_why_it_is_no_family():
    ids = ["visit-arrival", "visit-talks", "visit-press", "visit-departure"]
    pairs = [_related(a, b, 0.35) for k, a in enumerate(ids) for b in ids[k + 1:]]
    (group,) = _groups(pairs)
    assert sorted(group.members) == sorted(ids) and group.families == group.members
    assert group.summary.startswith("4 single articles, published 2025-03-01, share 2 passages")
    assert "names Lavrov" in group.summary and "6 of their 6 pairs are below the 50% confidence that joins two families" \
        in group.summary


def test_weak_or_distant_related_pairs_make_no_group():
    one_sentence = _related("a", "b", 0.4, sentences=1)  # one shared background sentence
    assert _groups([one_sentence]) == []
    far = _related("c", "d", 0.4)
    assert _groups([far], {"c": "2025-03-01", "d": "2025-09-01"}) == []
    assert len(_groups([far], {"c": "2025-03-01", "d": "2025-03-05"})) == 1


# --- links through background alone --------------------------------------------------------------------------


def _link(a: str, b: str, relation: str, sentences: range, confidence: float = 0.9) -> "PairRecord":
    """A link whose one passage aligns the given sentences of ``a`` and ``b`` (40 characters each)."""
    from dedup.records import PairRecord, Passage

    start, end = 40 * sentences.start, 40 * sentences.stop - 1
    return PairRecord(a, b, relation, confidence, jaccard=0.0, doc_cosine=0.6, coverage_a=0.5, coverage_b=0.5,
                      support_a=0.5, support_b=0.5, lead_a=0.5, lead_b=0.5, matched_a=len(sentences),
                      matched_b=len(sentences), found_by=("embedding",),
                      passages=[Passage(start, end, start, end, "paraphrase", 0.8)], evidence={})


def _families_of(pairs, copy_of=None):
    """Family of each article of ``pairs``; ``copy_of`` maps an article to the one whose text it copies."""
    from dedup import Config, Document
    from dedup.families import build_families

    ids = sorted({x for p in pairs for x in (p.a, p.b)})
    text = {x: "".join(f"Sentence {k} of article {(copy_of or {}).get(x, x)}.".ljust(39) + " " for k in range(5))
            for x in ids}
    docs = [Document(x, text[x]) for x in ids]
    _, family_of, _ = build_families(docs, pairs, {x: [(40 * k, 40 * k + 39) for k in range(5)] for x in ids},
                                     Config())
    return family_of


def test_two_stories_sharing_only_background_are_two_families():
    # arrival (a1, a2) and talks (t1, t2): each pair retells its own lead (sentences 0-4); a1 and t1 share only
    # their closing background (sentences 3-4), which the judge took for a rewrite
    from dedup.families import BACKGROUND

    across = _link("a1", "t1", "rewrite", range(3, 5), confidence=0.8)
    family_of = _families_of([_link("a1", "a2", "rewrite", range(0, 5)), _link("t1", "t2", "rewrite", range(0, 5)),
                              across])
    assert family_of["a1"] == family_of["a2"] != family_of["t1"] == family_of["t2"]
    assert across.relation == "related" and across.evidence["overruled"] == BACKGROUND


def test_a_link_missing_the_leads_stands_when_the_stories_are_not_told_apart():
    # the same link stands when an article retells both leads (one story, told by three), or when the
    # articles' leads are retold only by copies of their own text (no second story in sight)
    across = _link("a1", "t1", "rewrite", range(3, 5), confidence=0.8)
    both = _families_of([_link("a1", "r", "rewrite", range(0, 5)), _link("t1", "r", "rewrite", range(0, 5)), across])
    assert both["a1"] == both["t1"] and across.relation == "rewrite"
    across = _link("a1", "t1", "rewrite", range(3, 5), confidence=0.8)
    copies = _families_of([_link("a1", "a2", "duplicate", range(0, 5)), _link("t1", "t2", "duplicate", range(0, 5)),
                           across], copy_of={"a2": "a1", "t2": "t1"})
    assert copies["a1"] == copies["t1"] and across.relation == "rewrite"
