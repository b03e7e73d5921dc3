"""Long-document alignment (documents mode): do copied passages come out whole, with their true boundaries?"""
from __future__ import annotations

import re

from dedup import Config, HashingEncoder, align_texts
from dedup.align import VERBATIM

DOCUMENTS = Config(long_text_chars=0)

HOST = [
    "Tomatoes want six hours of direct sun and a deep watering twice a week.",
    "Mulch keeps the soil cool, so the roots stay moist through a dry July.",
    "Pinch the side shoots early, or the plant spends itself on leaves instead of fruit.",
    "A wooden stake driven beside each seedling saves the stems when the trusses get heavy.",
    "Compost worked into the bed in autumn feeds the crop better than any bottled tonic.",
    "Blossom end rot is a calcium problem, but uneven watering is usually what causes it.",
    "Harvest when the fruit gives slightly under the thumb and smells of the vine.",
    "Green fruit left at the end of the season ripens indoors on a sunny windowsill.",
]
PORT = [
    "Dock workers at the northern harbour walked out on Monday after wage talks collapsed.",
    "Their union said the operator had refused to index salaries to last year's inflation.",
    "Forty container ships were waiting offshore by the evening, according to the harbour master.",
    "Retailers warned that shelves could empty within a fortnight if the stoppage continued.",
    "The transport ministry offered to mediate but set no date for a first meeting.",
    "Freight rates on the route to the southern ports doubled in two days.",
    "Farmers exporting fruit said whole harvests would rot on the quays.",
    "A court is due to rule on Thursday whether the strike was lawfully called.",
    "The operator said it would hire temporary crews if the walkout lasted beyond the weekend.",
    "Shipping lines began diverting vessels to a terminal two hundred kilometres to the east.",
    "Police reported no incidents at the picket lines outside the main gate.",
    "Talks are expected to resume once both sides have studied the mediator's proposal.",
]


def _rewrap(text: str, width: int = 40) -> str:
    """Hard-wrap at about ``width`` characters, as a re-formatted web page does."""
    return re.sub(rf"(.{{{width},}}?) ", lambda m: m.group(1) + "\n", text)


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_verbatim_copy_starting_mid_sentence_keeps_its_exact_boundaries():
    source = " ".join(PORT)
    block = " ".join(PORT[3:7])
    copied = _rewrap(block)
    # the copy starts inside a host sentence and the page is hard-wrapped: sentence boundaries do not fit it
    susp = " ".join(HOST[:4]) + " Readers of this column often ask about " + copied + " " + " ".join(HOST[4:])
    al = align_texts(susp, source, HashingEncoder(), DOCUMENTS)
    assert len(al.passages) == 1
    p = al.passages[0]
    assert (p.a_start, p.a_end) == _span(susp, copied)
    assert (p.b_start, p.b_end) == _span(source, block)
    assert p.kind == VERBATIM


def test_copies_of_several_source_passages_stay_separate_passages():
    source = " ".join(PORT)
    blocks = [" ".join(PORT[0:3]), " ".join(PORT[5:8]), " ".join(PORT[9:12])]
    # pasted in another order between unrelated paragraphs, as a patchwork of copies is
    susp = " ".join([HOST[0], HOST[1], blocks[2], HOST[2], HOST[3], HOST[4], blocks[0], HOST[5], HOST[6], blocks[1],
                     HOST[7]])
    al = align_texts(susp, source, HashingEncoder(), DOCUMENTS)
    found = sorted(((p.a_start, p.a_end), (p.b_start, p.b_end)) for p in al.passages)
    expected = sorted((_span(susp, b), _span(source, b)) for b in blocks)
    assert found == expected  # not one summary of the whole source


def test_one_verbatim_sentence_is_not_a_copied_passage():
    source = " ".join(PORT)
    susp = " ".join(HOST[:4]) + " " + PORT[2] + " " + " ".join(HOST[4:])
    al = align_texts(susp, source, HashingEncoder(), DOCUMENTS)
    # too little shared text for a passage of its own: one recurring sentence is no copied passage
    assert al.passages == []
