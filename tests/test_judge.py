"""The same-source judgement on the kinds of error it must not make (issue 9), with small constructed cases.

Each case is a tiny corpus clustered with the default model and settings, as
a user would run it: links (rewrite, near-duplicate, duplicate) must join
only articles that rewrite the same report, and related pairs must say why.
"""
from __future__ import annotations

import itertools
import json

import pytest

from dedup import Dedup, Document
from dedup.judge import FEATURES, Judge, load_judge
from dedup.records import LINKS, PairRecord

VISIT_BACKGROUND = ("It is the first visit by a Russian foreign minister to Pyongyang since 2019, when Sergei Lavrov "
                    "held talks there on regional security. Moscow and Pyongyang signed a comprehensive strategic "
                    "partnership treaty in June 2024, which includes a mutual defence clause.")

# arrival on Friday, talks on Saturday: two TASS reports of one visit, each rewritten once; all four repeat
# the visit's background and every name
ARRIVAL = [
    Document("arrival-wire", "PYONGYANG, July 11. /TASS/. Russian Foreign Minister Sergei Lavrov arrived in "
             "Pyongyang on Monday evening for a three-day official visit, the Korean Central News Agency reported. "
             "He was met at Sunan airport by "
             "North Korean Foreign Minister Choe Son Hui and a guard of honour. Lavrov told reporters at the airport "
             "that he had brought a message from President Vladimir Putin. The programme includes a wreath-laying at "
             "the Liberation Tower and a reception at the Russian embassy. " + VISIT_BACKGROUND,
             date="2025-07-11"),
    Document("arrival-rewrite", "Sergei Lavrov landed at Pyongyang's Sunan airport on July 11, where Choe "
             "Son Hui and an honour guard welcomed him at the start of a three-day official visit, KCNA said. "
             "Speaking on arrival, the Russian minister said he was carrying a message from Vladimir Putin. "
             "He is due to lay a wreath at the Liberation Tower and attend an embassy reception. "
             + VISIT_BACKGROUND + " Analysts expect the visit to deepen military cooperation.",
             date="2025-07-11"),
]
TALKS = [
    Document("talks-wire", "PYONGYANG, July 12. /TASS/. Kim Jong Un received Sergei Lavrov on Saturday and the "
             "two held talks lasting more than two hours on the Korean Peninsula and the war in Ukraine, KCNA "
             "reported. Kim said "
             "his country would unconditionally support all of Moscow's measures. Lavrov thanked Kim for the "
             "soldiers who fought in the Kursk region and invited him to Moscow. The two sides agreed to open a "
             "direct air route between the capitals this autumn. " + VISIT_BACKGROUND,
             date="2025-07-12"),
    Document("talks-rewrite", "North Korean leader Kim Jong Un told Sergei Lavrov at talks on July 12 that "
             "Pyongyang would unconditionally back every measure taken by Moscow, according to KCNA. The meeting "
             "lasted over two hours and covered Ukraine and the peninsula. Lavrov expressed gratitude for the "
             "North Korean troops deployed to Kursk and passed on an invitation to visit Moscow. A direct flight "
             "between the two capitals will be launched in the autumn, the sides agreed. " + VISIT_BACKGROUND,
             date="2025-07-12"),
]


def cluster(docs: list[Document], encoder) -> tuple[dict[str, str | None], dict[frozenset[str], PairRecord]]:
    results = Dedup(encoder=encoder).cluster(docs)
    family = {d.id: d.family for d in results.documents}
    pairs = {frozenset((p.a, p.b)): p for p in results.pairs}
    return family, pairs


def linked(pairs: dict[frozenset[str], PairRecord], a: str, b: str) -> bool:
    p = pairs.get(frozenset((a, b)))
    return p is not None and p.relation in LINKS


def test_consecutive_events_of_one_visit_stay_apart(use_encoder):
    family, pairs = cluster(ARRIVAL + TALKS, use_encoder)
    assert family["arrival-wire"] is not None and family["arrival-wire"] == family["arrival-rewrite"]
    assert family["talks-wire"] is not None and family["talks-wire"] == family["talks-rewrite"]
    assert family["arrival-wire"] != family["talks-wire"]
    for a in ARRIVAL:
        for t in TALKS:
            assert not linked(pairs, a.id, t.id), (a.id, t.id)
    shared = pairs[frozenset(("arrival-wire", "talks-wire"))]  # the background is still shown, as related
    assert shared.relation == "related" and shared.evidence["summary"].startswith("related, not linked")


def test_the_reasons_in_words_are_true_of_the_pair(use_encoder):
    # the two wires of one visit align only in their closing background, a day apart; the judge's pulls from
    # their leads' likeness in meaning and from the gap (more than the average training pair's) must not be
    # worded as facts the pair does not have
    family, pairs = cluster(ARRIVAL + TALKS, use_encoder)
    across = pairs[frozenset(("arrival-wire", "talks-wire"))]
    said = across.evidence["for"] + across.evidence["against"]
    for untrue in ("their leads say the same things", "the leads' figures recur in the other text",
                   "the aligned passages cover the leads", "most sentences have a close counterpart"):
        assert untrue not in said, said
    assert not any("days apart" in r or "far apart" in r for r in said), said
    within = pairs[frozenset(("arrival-wire", "arrival-rewrite"))]  # where a reason holds, it is still given
    assert "most sentences have a close counterpart" in within.evidence["for"]
    assert "they share word sequences" in within.evidence["for"]  # (the rewrite copies the background)


def test_a_translation_joins_its_family(use_encoder):
    docs = [
        Document("wire", "Gazprom chief Alexei Miller said on Tuesday that Russia and China had signed a legally "
                 "binding memorandum on the Power of Siberia 2 pipeline, which will carry 50 billion cubic metres of "
                 "gas a year through Mongolia. Supplies through the existing Power of Siberia pipeline will rise from "
                 "38 to 44 billion cubic metres a year, Miller told reporters in Beijing.", date="2025-09-02"),
        Document("rewrite", "Russia and China have signed a binding memorandum on building the Power of Siberia 2 "
                 "pipeline via Mongolia with a capacity of 50 billion cubic metres a year, Gazprom head Alexei Miller "
                 "said in Beijing on Tuesday. He added that deliveries through Power of Siberia would grow from 38 to "
                 "44 billion cubic metres annually.", date="2025-09-02"),
        Document("translation", "Rusia y China firmaron un memorando jurídicamente vinculante sobre el gasoducto "
                 "Fuerza de Siberia 2, que transportará 50.000 millones de metros cúbicos de gas al año a través de "
                 "Mongolia, anunció el martes en Pekín el director de Gazprom, Alexéi Miller. Los suministros por el "
                 "gasoducto Fuerza de Siberia aumentarán de 38.000 a 44.000 millones de metros cúbicos anuales.",
                 date="2025-09-03"),
        Document("other", "Gazprom reported a net loss of 1.1 trillion roubles for the last year, its first annual "
                 "loss in more than two decades, as exports to Europe collapsed. The company said revenue fell by a "
                 "quarter, while the Power of Siberia pipeline kept deliveries to China running at full capacity.",
                 date="2025-09-02"),
    ]
    family, pairs = cluster(docs, use_encoder)
    assert family["wire"] is not None
    assert family["wire"] == family["rewrite"] == family["translation"]
    assert linked(pairs, "wire", "translation")
    assert family["other"] != family["wire"]


def test_a_short_article_sharing_only_topic_names_is_not_a_rewrite(use_encoder):
    long_2025 = Document("summit-2025", (
        "Vladimir Putin and Kim Jong Un held talks in Beijing on Wednesday on the sidelines of the military parade "
        "marking the end of the Second World War, the Kremlin said. Putin thanked Kim for the North Korean soldiers "
        "who fought in the Kursk region and said Russia would never forget their sacrifice. The two leaders spoke for "
        "two and a half hours, including an hour in private, and Kim said helping Russia was his brotherly duty. "
        "Putin invited Kim to visit Moscow, and Kim accepted, according to Kremlin aide Yuri Ushakov. "
        "The talks covered military cooperation, a new bridge over the Tumen river and flights between the capitals."),
        date="2025-09-03")
    short_2018 = Document("summit-2018", (
        "Kim Jong Un said on Thursday he was ready to meet Vladimir Putin, according to North Korean state media. "
        "Russian Foreign Minister Sergei Lavrov, visiting Pyongyang, handed Kim an invitation to Russia from Putin."),
        date="2018-05-31")
    family, pairs = cluster([long_2025, short_2018], use_encoder)
    assert not linked(pairs, "summit-2025", "summit-2018")
    assert family["summit-2018"] is None


GOLD = ("کراچی ۔ {day} ستمبر (اے پی پی) صرافہ مارکیٹ میں سونے کی قیمتوں میں {trend} کا رجحان رہا۔ آل سندھ صراف "
        "ایسوسی ایشن کے مطابق {weekday} کو صرافہ مارکیٹوں میں سونا تیزابی فی 10 گرام {per10} روپے اور فی تولہ "
        "{pertola} روپے پر بند ہوا۔ عالمی مارکیٹ میں سونے کی قیمت {ounce} ڈالر فی اونس رہی۔ چاندی کی قیمت فی تولہ "
        "{silver} روپے پر مستحکم رہی۔")


def test_daily_price_reports_of_different_days_are_not_linked(use_encoder):
    monday = GOLD.format(day="15", trend="تیزی", weekday="پیر", per10="38 ہزار 520", pertola="44 ہزار 900",
                         ounce="1235", silver="620")
    tuesday = GOLD.format(day="16", trend="مندی", weekday="منگل", per10="38 ہزار 350", pertola="44 ہزار 700",
                          ounce="1228", silver="610")
    english = ("Gold prices {trend} in Karachi on {weekday}, with 10 grams of 24-carat gold at Rs {per10} and one "
               "tola at Rs {pertola}, the All Sindh Sarafa Association said. In the world market gold traded at "
               "${ounce} an ounce. Silver held at Rs {silver} per tola.")
    mon_en = english.format(trend="rose", weekday="Monday", per10="38,520", pertola="44,900", ounce="1,235",
                            silver="620")
    tue_en = english.format(trend="fell", weekday="Tuesday", per10="38,350", pertola="44,700", ounce="1,228",
                            silver="610")
    family, pairs = cluster([Document("gold-ur-mon", monday), Document("gold-ur-tue", tuesday),
                             Document("gold-en-mon", mon_en), Document("gold-en-tue", tue_en)], use_encoder)
    assert not linked(pairs, "gold-ur-mon", "gold-ur-tue")
    assert not linked(pairs, "gold-en-mon", "gold-en-tue")
    assert family["gold-ur-mon"] is None or family["gold-ur-mon"] != family["gold-ur-tue"]
    assert family["gold-en-mon"] is None or family["gold-en-mon"] != family["gold-en-tue"]


def test_a_link_names_the_facts_both_articles_share(use_encoder):
    a = Document("a", "North Korea will send 1,000 deminers and 5,000 military builders to Russia's Kursk region, "
                 "Security Council Secretary Sergei Shoigu said in Pyongyang on Tuesday after talks with Kim Jong Un.")
    b = Document("b", "Sergei Shoigu said in Pyongyang on Tuesday that North Korea would dispatch 1,000 sappers and "
                 "5,000 military construction workers to the Kursk region, following his talks with Kim Jong Un. "
                 "Commentators called it a new stage of the alliance.")
    family, pairs = cluster([a, b], use_encoder)
    pair = pairs[frozenset(("a", "b"))]
    assert pair.relation in LINKS and pair.confidence >= 0.5
    assert {"1000", "5000"} <= set(pair.evidence["shared_numbers"])
    assert "Shoigu" in pair.evidence["shared_names"]
    assert "1000" in pair.evidence["summary"] and "sure of one source" in pair.evidence["summary"]


@pytest.mark.parametrize("encoder", ["use", "minilm", "hash"])
def test_the_shipped_judge_reads_only_features_the_code_computes(encoder):
    judge = load_judge(encoder)
    parts = {p for t in judge.terms for p in t.split("*")}
    assert parts <= set(FEATURES)
    assert judge.about["encoder"] == encoder and all(h.endswith(" tune") for h in judge.about["fitted_on"])
    assert len(judge.coef) == len(judge.mean) == len(judge.scale) == len(judge.terms)
    # a missing feature (no corpus around two files, an undated pair) pulls neither way
    full = {f: 0.5 for f in FEATURES}
    assert judge.probability({**full, "days_apart": judge.mean[judge.terms.index("days_apart")]}) == \
        judge.probability({k: v for k, v in full.items() if k != "days_apart"})


def test_the_training_script_fits_the_terms_that_ship():
    from benchmarks.judge import TERMS

    assert tuple(load_judge("use").terms) == TERMS
    judge = load_judge("use")
    assert Judge.from_dict(json.loads(json.dumps(judge.to_dict()))).terms == judge.terms


@pytest.mark.parametrize("encoder", ["use", "minilm", "hash"])
def test_no_alignment_gets_a_pair_above_the_judges_ceiling(encoder):
    """The ceiling that lets a corpus run skip aligning a pair is an upper bound on the confidence any
    alignment within the ranges could give (random features, some missing)."""
    import numpy as np

    from dedup.judge import ALIGNED

    judge = load_judge(encoder)
    rng = np.random.default_rng(7)
    asked = []
    for _ in range(300):
        known = {f: float(rng.uniform(-1.0, 8.0)) for f in FEATURES if f not in ALIGNED and rng.random() < 0.9}
        known["unknown"] = float(rng.integers(2))
        known["known"] = 1.0 - known["unknown"]
        ranges = {f: (0.0, 1.0) for f in ALIGNED} | {"specific_shared": (0.0, float(rng.uniform(0.0, 3.0)))}
        ceiling = judge.ceiling(known, ranges)
        asked.append((known, ranges, ceiling))
        for _ in range(20):
            aligned = {f: float(rng.uniform(*ranges[f])) if rng.random() < 0.8 else ranges[f][rng.integers(2)]
                       for f in ALIGNED}
            assert judge.probability({**known, **aligned}) <= ceiling
        corners = itertools.product(*(ranges[f] for f in ALIGNED))  # and it is reached at one of them
        assert max(judge.probability({**known, **dict(zip(ALIGNED, c))}) for c in corners) == ceiling
    known, ranges, one_by_one = zip(*asked)  # a batch of pairs gets each pair's own ceiling, to the bit
    assert judge.ceilings(known, ranges) == list(one_by_one)


def test_once_sentences_are_scored_the_ceiling_still_bounds_the_confidence(use_encoder):
    """The second ceiling of a corpus run (support known, lead quality bounded by each sentence's best
    similarity) is at or above the confidence the pair's alignment gets, at or below the ceiling before it,
    and the alignment made from the scored sentences is the one made from scratch."""
    from dedup import Config
    from dedup.align import align, align_scored, embed_texts, pair_anchor_weights, similarities
    from dedup.judge import Article, aligned_ceiling, features, pair_features

    cfg, judge, languages = Config(), load_judge("use"), use_encoder.languages
    tighter = 0
    for first, second in itertools.combinations(ARRIVAL + TALKS, 2):
        pa, va, pb, vb = embed_texts(first.text, second.text, use_encoder)
        weights = pair_anchor_weights(pa, pb)
        a, b = (Article.of(p, len(d.text), cfg.min_sentence_chars, d.day) for p, d in ((pa, first), (pb, second)))
        known = pair_features(a, b, weights, unknown=False, doc_cosine=0.8, jaccard=0.1)
        similar = similarities(pa, va, pb, vb, cfg, languages)
        alignment = align_scored(pa, pb, similar, cfg, first.text, second.text, weights)
        scratch = align(pa, va, pb, vb, cfg, first.text, second.text, weights, languages)
        assert (alignment.matches, alignment.support_a, alignment.support_b) == \
            (scratch.matches, scratch.support_a, scratch.support_b)
        assert all((mine == theirs).all() for mine, theirs in zip((alignment.best_a, alignment.best_b),
                                                                  (scratch.best_a, scratch.best_b)))
        confidence = judge.probability(features(a, b, alignment, weights, unknown=False, doc_cosine=0.8,
                                                jaccard=0.1, known=known))
        before = judge.ceiling(known, aligned_ceiling(a, b, weights))
        after = judge.ceiling(known, aligned_ceiling(a, b, weights, similar))
        assert confidence <= after <= before, (first.id, second.id)
        tighter += after < before
    assert tighter == 6  # every pair's ceiling comes down


def test_a_pair_years_apart_with_other_figures_is_settled_without_aligning(use_encoder):
    """The judge's ceiling: two articles on one topic three years apart, each with its own figures, cannot be
    one report whatever their sentences share, so they are not aligned (and not linked)."""
    first = Document("2021", "The central bank raised its key rate to 6.5 percent on Friday, citing inflation of "
                     "7.4 percent in the year to August. Governor Elvira Nabiullina said further rises were "
                     "possible if prices kept climbing. The rouble strengthened 0.8 percent against the dollar "
                     "after the announcement.", date="2021-09-10")
    later = Document("2024", "The central bank raised its key rate to 19 percent on Friday, citing inflation of "
                     "8.6 percent in the year to September. Governor Elvira Nabiullina said further rises were "
                     "possible if prices kept climbing. The rouble weakened 1.2 percent against the dollar "
                     "after the announcement.", date="2024-10-25")
    results = Dedup(encoder=use_encoder).cluster([first, later])
    counts = results.run["counts"]
    assert counts["candidate_pairs"] == 1 and counts["aligned_pairs"] == 0
    assert not results.pairs and not results.families


def test_the_contrast_compares_a_translation_with_translations():
    """USE puts a translation further from its story than a same-language paraphrase, so the judge's
    closeness beyond the neighbourhood reads both on one scale: a neighbour in another language counts
    ``cross_language_offset`` closer, and so does a pair of articles in two languages."""
    import numpy as np

    from dedup import Config
    from dedup.align.profile import profile
    from dedup.candidates import NEIGHBOURHOOD, _doc_hits
    from dedup.judge import Article, pair_features

    cfg = Config()
    vectors = np.random.default_rng(3).normal(size=(12, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    language = np.array([0, 1] * 6)
    _, alone = _doc_hits(vectors, 12, cfg)
    _, balanced = _doc_hits(vectors, 12, cfg, language=language)
    # each document's 10 nearest of 11 others: 5 or 6 in the other language, each now offset closer
    shift = (balanced - alone) / cfg.cross_language_offset
    assert ((shift >= 5 / NEIGHBOURHOOD - 1e-4) & (shift <= 6 / NEIGHBOURHOOD + 1e-4)).all(), shift

    text = {"en": "The minister arrived in Pyongyang on Monday for a three-day visit, the agency said.",
            "de": "Der Minister traf am Montag zu einem dreitaegigen Besuch in Pjoengjang ein, meldete die Agentur."}
    articles = {key: Article.of(profile(t), len(t), cfg.min_sentence_chars, None, None, 0.5)
                for key, t in text.items()}
    assert articles["en"].profile.language != articles["de"].profile.language

    def contrast(a: str, b: str) -> float:
        return pair_features(articles[a], articles[b], {}, unknown=False, doc_cosine=0.7, jaccard=0.0,
                             cross_language_offset=cfg.cross_language_offset)["doc_contrast"]
    assert contrast("en", "de") == pytest.approx(contrast("en", "en") + 2 * cfg.cross_language_offset)


def test_a_word_that_only_opens_sentences_is_not_shown_as_a_shared_name(sample_results):
    """'Prosecutors have opened...' opens a sentence in both dam reports: capitalised there, a common word
    all the same, so the evidence does not offer it as a name the two share; names written inside a
    sentence somewhere ('Emergency Situations Minister Aurel Kostin') still are."""
    evidence = sample_results.pair("dam-farm", "dam-wire").evidence
    assert {"Kostin", "Situations"} <= set(evidence["shared_names"])
    assert "Prosecutors" not in evidence["shared_names"] and "Prosecutors" not in evidence["summary"]
