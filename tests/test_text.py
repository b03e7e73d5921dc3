"""Sentences and numbers across scripts, with offsets that point into the text."""
from __future__ import annotations

import pytest

from dedup.text import Sentences, name_key, name_keys, numbers, split_sentences


def test_sentences_keep_exact_offsets_across_scripts():
    text = ("Mr. Smith said \"we will win.\" Then J. Doe left!\n\n"
            "Лавров заявил ТАСС об этом. Второе предложение?\n"
            "یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔中文句子。第二句。")
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        'Mr. Smith said "we will win."', "Then J. Doe left!", "Лавров заявил ТАСС об этом.",
        "Второе предложение?", "یہ پہلا جملہ ہے۔", "یہ دوسرا ہے۔", "中文句子。", "第二句。",
    ]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    kept = Sentences(text, sentences)  # as a profile keeps them: offsets into the text
    assert list(kept) == sentences and len(kept) == len(sentences)
    assert kept[1] == sentences[1] and kept[-1] == sentences[-1] and kept[2:4] == sentences[2:4]
    assert kept.lengths() == [len(s.text) for s in sentences]
    copy = "".join(text)
    assert kept.over(copy).text is copy and kept.over(copy) == kept
    with pytest.raises(ValueError, match="another text"):
        kept.over(text[1:])


def test_run_on_sentence_is_broken_at_soft_punctuation():
    text = "; ".join(f"clause number {i} about the port strike and its many consequences" for i in range(20)) + "."
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= 600 for s in sentences)
    assert "".join(text[s.start:s.end] for s in sentences).replace(" ", "") == text.replace(" ", "")


def test_hard_wrapped_lines_are_one_sentence_but_headlines_and_lists_stay_apart():
    text = ("Baikonur launch pad repaired\n"
            "MOSCOW, November 21. The crew of the Soyuz said the launch\n"
            "went as planned and the pad\n"
            "will be ready in spring.\n"
            "- first item;\n"
            "- second item")
    assert [s.text for s in split_sentences(text)] == [
        "Baikonur launch pad repaired",
        "MOSCOW, November 21.",
        "The crew of the Soyuz said the launch\nwent as planned and the pad\nwill be ready in spring.",
        "- first item;",
        "- second item",
    ]


def test_run_on_text_without_punctuation_is_cut_at_spaces():
    text = " ".join(f"keyword{i} download free" for i in range(200))  # spam pages: no punctuation at all
    sentences = split_sentences(text)
    assert len(sentences) > 1 and all(len(s.text) <= 600 for s in sentences)
    assert all(text[s.start:s.end] == s.text and not s.text[0].isspace() for s in sentences)
    assert " ".join(s.text for s in sentences) == text


def test_numbers_match_across_conventions():
    assert numbers("1,000 deminers and 5 000 builders") == {"1000", "5000"}
    assert numbers("ставка 9,25% и 10,8%") == numbers("rate 9.25% and 10.8%") == {"9.25", "10.8"}
    assert numbers("2.300 Menschen") == numbers("2,300 people") == {"2300"}
    assert "28.2025" not in numbers("on December 28 2025")
    assert numbers("هاجمت ١٩ دولة") == numbers("۱۹ ملک") == numbers("19 countries") == {"19"}


def test_names_match_across_cyrillic_and_latin():
    ru, ru_after_first = name_keys("Министр иностранных дел Сергей Лавров заявил ТАСС")
    en, en_after_first = name_keys("Foreign Minister Sergey Lavrov told TASS")
    assert {name_key("Lavrov"), name_key("TASS"), name_key("Sergey")} <= ru & en
    # the first word is capitalised whatever it is: the names after it are those the sentence surely carries
    assert name_key("Министр") in ru - ru_after_first and name_key("Foreign") in en - en_after_first
    assert name_key("Minister") in en_after_first
    assert name_key("Уиткофф") == name_key("Witkoff") and name_key("Кушнером") == name_key("Kushner")
    assert name_key("Lavrov") != name_key("Peskov")


def test_language_guess_tells_languages_apart():
    from dedup.text import language

    assert language("The bank raised its rate and said that it was ready to act again") == "en"
    assert language("Der Damm ist gebrochen und die Menschen sind nicht mit den Kindern zu Hause") == "de"
    assert language("Лавров заявил, что Россия готова ответить") == "ru"
    assert language("Він сказав, що їхня позиція є незмінною") == "uk"
    assert language("یہ پہلا جملہ ہے اور یہ دوسرا جملہ ہے جو اردو میں لکھا گیا ہے") == "ur"
    assert language("Rusija se protivi neovisnosti Tajvana u bilo kojem obliku, rekao je ministar") in {"hr", "bs", "sr"}
