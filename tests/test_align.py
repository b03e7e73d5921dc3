"""Passage alignment: what users check first — does the shared fact line up, and only it?"""
from __future__ import annotations

from rapidfuzz import fuzz

from dedup import Config, align_texts
from dedup.records import NEAR_VERBATIM, PARAPHRASE, VERBATIM
from dedup.text import normalise

ORIGINAL = (
    "The Valdorian central bank raised its key rate to 9.25% on Friday, citing inflation of 10.8% in January. "
    "\"We will not hesitate to act again if prices keep rising,\" Governor Mira Halden told reporters in Lenz. "
    "The decision was backed by six of the seven board members."
)


def test_verbatim_copy_aligns_with_offsets_in_both_texts(use_encoder):
    rewrite = "BREAKING NEWS FROM LENZ TODAY\n\n" + ORIGINAL + "\n\nFollow us for more updates on the markets."
    al = align_texts(ORIGINAL, rewrite, use_encoder)
    assert al.coverage_a == 1.0
    assert len(al.passages) == 1
    p = al.passages[0]
    assert p.kind == VERBATIM
    assert ORIGINAL[p.a_start:p.a_end] == rewrite[p.b_start:p.b_end] == ORIGINAL
    assert al.coverage_b < 0.9  # the headline and the sign-off are not shared


def test_paraphrased_quote_aligns_as_paraphrase(use_encoder):
    rewrite = ("Governor Mira Halden warned that the bank would not think twice about moving again should "
               "prices continue to climb.")
    al = align_texts(ORIGINAL, rewrite, use_encoder)
    assert len(al.passages) == 1
    p = al.passages[0]
    assert "hesitate to act again" in ORIGINAL[p.a_start:p.a_end]
    assert p.kind == PARAPHRASE


def test_light_edit_is_near_verbatim(use_encoder):
    edited = ORIGINAL.replace("on Friday", "late on Friday").replace("told reporters", "said")
    al = align_texts(ORIGINAL, edited, use_encoder)
    assert {p.kind for p in al.passages} == {NEAR_VERBATIM}


def test_translation_aligns_across_languages(use_encoder):
    russian = ("Центральный банк Вальдории в пятницу повысил ключевую ставку до 9,25%, сославшись на инфляцию "
               "в 10,8% в январе.")
    al = align_texts(ORIGINAL, russian, use_encoder)
    assert len(al.passages) == 1 and al.passages[0].a_start == 0
    assert al.coverage_b == 1.0


def test_same_topic_with_different_facts_is_not_aligned(use_encoder):
    other = ("The Valdorian central bank kept its key rate at 7.5% on Tuesday, saying inflation of 4.1% was "
             "under control. Governor Mira Halden said the board would meet again in June.")
    al = align_texts(ORIGINAL, other, use_encoder)
    assert al.passages == []


def test_the_same_words_around_other_names_are_a_formula_not_a_shared_passage(use_encoder):
    # a quote formula (or a daily template) filled in with other people and places states another fact
    quote = "\"We will stand by the people of Valdoria whatever happens,\" Tarek Oswin told reporters in Lenz."
    other = "\"We will stand by the people of Korsland whatever happens,\" Elda Varga told reporters in Brenn."
    same = "\"We will stand by the people of Valdoria whatever happens,\" Oswin told journalists in Lenz."
    assert fuzz.ratio(normalise(quote), normalise(other)) / 100 >= Config().lexical_match  # close in wording
    assert align_texts(quote, other, use_encoder).passages == []
    al = align_texts(quote, same, use_encoder)  # the same names: one fact, retold
    assert len(al.passages) == 1 and al.coverage_a == 1.0


def test_copied_urdu_passage_aligns_lexically_without_a_model_that_knows_urdu(use_encoder):
    urdu = "مرکزی بینک نے جمعہ کو شرح سود 9.25 فیصد کر دی۔ گورنر میرا ہالڈن نے کہا کہ مہنگائی 10.8 فیصد ہے۔"
    copy = "خبر: " + urdu + " یہ ایک تبصرہ ہے جو بعد میں شامل کیا گیا۔"
    al = align_texts(urdu, copy, use_encoder)
    assert al.coverage_a == 1.0
    assert {p.kind for p in al.passages} <= {VERBATIM, NEAR_VERBATIM}


def test_thresholds_come_from_config(use_encoder):
    rewrite = ("Governor Mira Halden warned that the bank would not think twice about moving again should "
               "prices continue to climb.")
    strict = Config(semantic_match=0.99, semantic_strong=0.99, lexical_match=0.99)
    assert align_texts(ORIGINAL, rewrite, use_encoder, strict).passages == []


class _ConstantEncoder:
    """Every sentence gets the same vector direction (cosine 0.75 between any two texts)."""

    name = "constant"
    languages = frozenset({"en"})

    def encode(self, texts, batch_size=64):
        import numpy as np

        out = np.zeros((len(texts), 2), dtype=np.float32)
        for k, text in enumerate(texts):
            angle = 0.0 if k % 2 == 0 else np.arccos(0.75)
            out[k] = [np.cos(angle), np.sin(angle)]
        return out


def test_cosine_in_a_language_the_encoder_does_not_know_is_not_evidence():
    a_hr = "Ruska svemirska agencija izjavila je u utorak da su dovrseni radovi na popravku lansirne rampe."
    b_hr = "Rusija se protivi neovisnosti Tajvana u bilo kojem obliku, rekao je ruski ministar vanjskih poslova."
    assert not align_texts(a_hr, b_hr, _ConstantEncoder(), Config()).passages
    a_en = "The Russian space agency said on Tuesday that repairs of the launch pad had been completed."
    b_en = "Russia opposes the independence of Taiwan in any form, the Russian foreign minister said."
    assert align_texts(a_en, b_en, _ConstantEncoder(), Config()).passages  # same cosine, known language: trusted


def test_a_name_two_articles_repeat_everywhere_is_not_specific_shared_content(shared_data, use_encoder):
    # seeds 000 and 001 name Shoigu throughout; two commentary sentences that share only his name (cosine 0.52)
    # are not an aligned passage, while the 1,000-deminers report still is
    seeds = shared_data / "seeds"
    a, b = (seeds / "000.txt").read_text(encoding="utf-8"), (seeds / "001.txt").read_text(encoding="utf-8")
    al = align_texts(a, b, use_encoder)
    pairs = [(a[p.a_start:p.a_end], b[p.b_start:p.b_end]) for p in al.passages]
    assert not any("broader strategy" in x and "meeting with Kim" in y for x, y in pairs)
    assert any("1,000 engineers" in x and "1,000 demining troops" in y for x, y in pairs)


def _pan(shared_data, name: str) -> str:
    folder = "susp" if name.startswith("suspicious") else "src"
    return (shared_data / "pan13-subset" / folder / f"{name}.txt").read_text(encoding="utf-8")


def _only_passage(shared_data, encoder, susp: str, src: str):
    """The single passage ``align_texts`` finds between two PAN documents (fails if not exactly one)."""
    al = align_texts(_pan(shared_data, susp), _pan(shared_data, src), encoder)
    assert len(al.passages) == 1
    return al.passages[0]


def _near(start: int, end: int, expected_start: int, expected_end: int) -> bool:
    return abs(start - expected_start) < 50 and abs(end - expected_end) < 50


def test_summary_inserted_in_a_long_article_is_one_passage_over_the_whole_source(shared_data, use_encoder):
    # PAN 2013 summary case: chars 4180-4818 of the article summarise the whole 5,674-char source
    p = _only_passage(shared_data, use_encoder, "suspicious-document00018", "source-document02489")
    assert _near(p.a_start, p.a_end, 4180, 4818)
    source = _pan(shared_data, "source-document02489")
    assert p.b_start == 0 and p.b_end >= len(source.rstrip()) - 1


def test_obfuscated_copy_in_a_long_document_is_one_passage(shared_data, use_encoder):
    # PAN 2013 random obfuscation: 385 chars at 7081 of a 13,533-char document rework 404 chars at 304
    p = _only_passage(shared_data, use_encoder, "suspicious-document00379", "source-document00886")
    assert _near(p.a_start, p.a_end, 7081, 7466) and _near(p.b_start, p.b_end, 304, 708)


def test_long_unrelated_documents_sharing_names_do_not_align(shared_data, use_encoder):
    # both mention San Antonio and Hispanic patients, but no passage of one is taken from the other
    article, other = _pan(shared_data, "suspicious-document00018"), _pan(shared_data, "source-document02570")
    assert "Antonio" in article and "Antonio" in other
    assert align_texts(article, other, use_encoder).passages == []


def test_copy_stretched_by_a_stray_match_is_the_copied_passage_not_a_summary(shared_data, use_encoder):
    # PAN 2013 random obfuscation: chars 2903-3719 of a 59,524-char document rework chars 545-1501 of a
    # 3,528-char source; one stray match (source sentence 31) stretched the source side past twice the
    # copy, which made it a "summary" of the whole source. Its seeds keep the source's order and pace.
    p = _only_passage(shared_data, use_encoder, "suspicious-document00143", "source-document03032")
    assert _near(p.a_start, p.a_end, 2903, 3719) and _near(p.b_start, p.b_end, 545, 1501)


def test_copied_blocks_with_stray_matches_stay_copies_not_summaries(shared_data, use_encoder):
    # PAN 2013 no obfuscation: two blocks of a 2,124-char source copied verbatim into a 60,737-char
    # document; stray paraphrase matches around them used to make each a "summary" of a whole text
    al = align_texts(_pan(shared_data, "suspicious-document00655"), _pan(shared_data, "source-document03028"),
                     use_encoder)
    spans = sorted((p.a_start, p.a_end, p.b_start, p.b_end) for p in al.passages)
    assert len(spans) == 2
    assert _near(*spans[0][:2], 46386, 46743) and _near(*spans[0][2:], 1121, 1478)
    assert _near(*spans[1][:2], 54006, 54672) and _near(*spans[1][2:], 130, 796)


def test_one_short_near_verbatim_sentence_pair_is_not_a_passage(shared_data, use_encoder):
    # PAN 2013 no obfuscation: the copy at 8806 (571 chars) is found; a 23-char line elsewhere that
    # nearly matches a 30-char source line (ratio 0.75) is chance, not a second passage
    p = _only_passage(shared_data, use_encoder, "suspicious-document00168", "source-document03024")
    assert abs(p.a_start - 8806) < 50
