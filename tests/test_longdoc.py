"""Long-document alignment (documents mode): do copied passages come out whole, with their true boundaries?"""
from __future__ import annotations

import re

from dedup import Config, HashingEncoder, align_texts
from dedup.records import VERBATIM

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
PORT_LATER = [
    "Economists put the cost of each idle day at several million in lost trade.",
    "Several cruise lines cancelled their scheduled calls at the port for the week.",
    "The opposition demanded that parliament debate the stoppage in an emergency session.",
    "Truck drivers queued for kilometres on the motorway leading to the container terminal.",
    "A supermarket chain said it had begun flying in fresh produce at a higher cost.",
    "Union leaders planned a rally outside the ministry for the following Tuesday.",
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


def _summary_in_host(summary: list[str]) -> tuple[str, str, str]:
    """A suspicious text with ``summary`` inserted between host paragraphs, the summary, and the whole port story."""
    inserted = " ".join(summary)
    return " ".join(HOST[:4]) + " " + inserted + " " + " ".join(HOST[4:]), inserted, " ".join(PORT + PORT_LATER)


def test_summary_copying_sentences_from_across_its_source_covers_the_whole_source():
    # four sentences copied word for word, skipping those between them, then one condensing a later one
    susp, summary, source = _summary_in_host([
        PORT[0], PORT[2], PORT[4], PORT[6],
        "Both sides are now studying the mediator's proposal, and talks are expected to resume after that."])
    al = align_texts(susp, source, HashingEncoder(), DOCUMENTS)
    assert [((p.a_start, p.a_end), (p.b_start, p.b_end)) for p in al.passages] == [(_span(susp, summary),
                                                                                   (0, len(source)))]


def test_summary_quoting_a_copied_block_is_still_a_summary_of_the_whole_source():
    susp, summary, source = _summary_in_host([
        PORT[0], PORT[1],
        "Shops feared empty shelves within two weeks if the strike went on.",
        "The operator threatened to bring in temporary crews should the walkout continue past the weekend.",
        "Both sides are now studying the mediator's proposal, and talks are expected to resume after that.",
        "Each idle day costs several million in lost trade, economists estimate."])
    al = align_texts(susp, source, HashingEncoder(), DOCUMENTS)
    assert [((p.a_start, p.a_end), (p.b_start, p.b_end)) for p in al.passages] == [(_span(susp, summary),
                                                                                   (0, len(source)))]


def test_copied_block_amid_weak_matches_on_one_topic_stays_a_copy():
    block = ["Hundreds of exhibiting companies, including leading regional sales representatives and top "
             "manufacturers, fill three halls.",
             "Buyers come from specialty retail, department stores, bridal shops, florists, museum shops and craft "
             "and hobby stores."]
    show = ["The Orlando Gift Show opens on Friday at the Orange County Convention Center.",
            "Organisers expect more than twenty thousand trade visitors over four days.",
            "Exhibitors will show giftware, home decor, stationery and gourmet food.",
            "Parking at the centre costs fifteen dollars a day.",
            *block,
            "The show closes on Monday evening.",
            "Tickets are free for registered retail buyers.",
            "The organiser, George Little Management, runs similar shows in New York and Atlanta."]
    # a page of notices that copies the show's paragraph and mentions its venue, goods and organiser elsewhere
    notices = ["Trade fairs in Florida this season, with dates and venues.",
               "On Friday the Orange County Convention Center hosts the Orlando Gift Show for gift retailers.",
               *HOST[0:5], *block, *HOST[5:8], *PORT[8:10],
               "Gourmet food, stationery and home decor are among the giftware on show.",
               *PORT[0:6],
               "George Little Management also organises shows in Atlanta and New York, says the organiser."]
    susp, source = " ".join(notices), " ".join(show)
    al = align_texts(susp, source, HashingEncoder(), DOCUMENTS)
    copied = " ".join(block)
    # not the whole page as a summary of the whole show text
    assert [((p.a_start, p.a_end), (p.b_start, p.b_end)) for p in al.passages] == [(_span(susp, copied),
                                                                                   _span(source, copied))]
