"""Seeded generator of news-like articles (~500 words) in rewrite families with known labels.

A *story* is a list of facts about its own people, places, organisations
and numbers, in its own slice of the vocabulary and phrasing. Its source
article renders the facts; each rewrite re-renders them in one of three
styles:

* ``copy``: the source verbatim under a new headline, plus added commentary;
* ``light``: a few synonyms swapped, an occasional fact dropped;
* ``heavy``: many synonyms swapped, clauses reordered, facts dropped,
  paragraphs shuffled, and commentary padding added.

Distractors are stories of their own (singletons); some reuse a person and
a place of another story, as same-beat articles about a different event do.
The vocabulary is English words in synonym groups; names are made up.

``python -m benchmarks.generate N [--seed S] [--corpus news|copy|light] [--out FILE]``
writes JSONL (``id``, ``text``, ``title``, ``date``, ``cluster``, ``role``,
``also``) that the families suite reads and the scale suite clusters
(``copy``/``light``: :func:`syndicated`).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

NOUNS = [
    ("officials", "authorities", "administrators"), ("plan", "proposal", "scheme"), ("agreement", "deal", "accord"),
    ("talks", "negotiations", "discussions"), ("company", "firm", "business"),
    ("government", "administration", "cabinet"), ("report", "statement", "announcement"),
    ("increase", "rise", "jump"), ("decline", "drop", "fall"), ("workers", "employees", "staff"),
    ("residents", "locals", "inhabitants"), ("project", "initiative", "programme"),
    ("market", "sector", "industry"), ("price", "cost", "charge"), ("region", "province", "district"),
    ("meeting", "session", "summit"), ("crisis", "emergency", "turmoil"), ("funding", "investment", "financing"),
    ("border", "frontier", "boundary"), ("court", "tribunal", "bench"), ("law", "bill", "legislation"),
    ("port", "harbour", "dock"), ("plant", "factory", "facility"), ("storm", "cyclone", "gale"),
    ("strike", "walkout", "stoppage"), ("election", "ballot", "poll"), ("budget", "spending plan", "fiscal plan"),
    ("protest", "demonstration", "rally"), ("inquiry", "investigation", "probe"),
    ("shortage", "deficit", "scarcity"), ("hospital", "clinic", "medical centre"),
    ("railway", "rail line", "train line"), ("reservoir", "dam", "water basin"), ("loan", "credit", "advance"),
    ("tariff", "duty", "levy"), ("vaccine", "jab", "inoculation"), ("contract", "tender", "order"),
    ("shipment", "consignment", "cargo"), ("reform", "overhaul", "restructuring"),
    ("drought", "dry spell", "water shortage"), ("wage", "salary", "pay"), ("bridge", "crossing", "viaduct"),
    ("pension", "retirement benefit", "old-age payment"), ("school", "academy", "college"),
    ("farmers", "growers", "producers"), ("harvest", "crop", "yield"), ("airline", "carrier", "air operator"),
    ("airport", "airfield", "air hub"), ("mine", "pit", "quarry"), ("refinery", "processing plant", "oil works"),
    ("pipeline", "gas line", "conduit"), ("exports", "foreign sales", "overseas shipments"),
    ("imports", "purchases abroad", "inbound goods"), ("ceasefire", "truce", "armistice"),
    ("sanctions", "penalties", "restrictions"), ("embassy", "mission", "legation"),
    ("ambassador", "envoy", "emissary"), ("treaty", "pact", "convention"), ("summit", "conference", "gathering"),
    ("police", "officers", "security forces"), ("suspect", "accused", "detainee"),
    ("trial", "hearing", "proceedings"), ("verdict", "ruling", "judgment"), ("fire", "blaze", "inferno"),
    ("earthquake", "tremor", "quake"), ("evacuation", "relocation", "withdrawal"), ("shelter", "refuge", "camp"),
    ("patients", "sick people", "the ill"), ("doctors", "physicians", "medics"), ("outbreak", "epidemic", "spread"),
    ("tourists", "visitors", "holidaymakers"), ("hotel", "resort", "guesthouse"), ("stadium", "arena", "ground"),
    ("players", "athletes", "squad members"), ("coach", "manager", "trainer"), ("fans", "supporters", "spectators"),
    ("bank", "lender", "financial house"), ("inflation", "price growth", "rising prices"),
    ("currency", "exchange rate", "national money"), ("debt", "borrowing", "liabilities"),
    ("taxes", "levies", "duties"), ("subsidy", "grant", "state aid"), ("housing", "homes", "dwellings"),
    ("rent", "lease payment", "rental charge"), ("traffic", "congestion", "road jams"),
    ("highway", "motorway", "expressway"), ("ferry", "boat service", "crossing vessel"),
    ("fleet", "flotilla", "vessels"), ("satellite", "orbital craft", "spacecraft"),
    ("launch", "lift-off", "blast-off"), ("software", "program", "application"), ("data", "records", "information"),
    ("hackers", "attackers", "intruders"), ("network", "grid", "system"),
    ("power station", "power plant", "generating station"), ("blackout", "power cut", "outage"),
    ("university", "institute", "faculty"), ("students", "pupils", "learners"),
    ("teachers", "educators", "lecturers"), ("museum", "gallery", "exhibition hall"),
    ("festival", "fair", "celebration"), ("church", "cathedral", "chapel"),
]
VERBS = [
    ("approved", "endorsed", "backed"), ("rejected", "dismissed", "turned down"),
    ("announced", "unveiled", "declared"), ("warned about", "cautioned against", "raised concerns over"),
    ("criticised", "condemned", "attacked"), ("signed", "sealed", "concluded"), ("launched", "started", "began"),
    ("delayed", "postponed", "put off"), ("confirmed", "verified", "acknowledged"),
    ("proposed", "put forward", "suggested"), ("cut", "reduced", "lowered"), ("raised", "increased", "lifted"),
    ("suspended", "halted", "froze"), ("defended", "justified", "stood by"), ("reviewed", "examined", "assessed"),
    ("blocked", "stopped", "prevented"), ("expanded", "extended", "enlarged"), ("closed", "shut", "shut down"),
    ("opened", "inaugurated", "unveiled"), ("sold", "offloaded", "disposed of"),
    ("bought", "acquired", "purchased"), ("repaired", "restored", "fixed"), ("damaged", "harmed", "hit"),
    ("investigated", "looked into", "probed"), ("demanded", "called for", "pressed for"),
    ("promised", "pledged", "vowed"), ("denied", "rejected claims of", "disputed"),
    ("welcomed", "hailed", "praised"), ("negotiated", "bargained over", "discussed"),
    ("financed", "funded", "paid for"), ("cancelled", "scrapped", "called off"), ("tested", "trialled", "piloted"),
]
ADJECTIVES = [
    ("major", "significant", "substantial"), ("new", "fresh", "revised"), ("local", "regional", "municipal"),
    ("serious", "severe", "grave"), ("economic", "financial", "fiscal"), ("public", "state", "national"),
    ("recent", "latest", "current"), ("large", "big", "sizeable"), ("key", "central", "crucial"),
    ("controversial", "disputed", "contested"), ("long-awaited", "much-delayed", "overdue"),
    ("joint", "shared", "common"), ("temporary", "interim", "provisional"), ("urgent", "pressing", "immediate"),
    ("modest", "small", "limited"), ("foreign", "overseas", "international"),
    ("rural", "countryside", "provincial"), ("coastal", "seaside", "shoreline"),
    ("unexpected", "surprise", "unforeseen"), ("annual", "yearly", "twelve-month"),
    ("private", "independent", "non-state"), ("former", "previous", "ex-"), ("outdated", "ageing", "old"),
    ("strict", "tough", "rigid"),
]
ADVERBS = ("quietly", "formally", "abruptly", "finally", "reluctantly", "swiftly", "partly", "again", "jointly",
           "unexpectedly", "publicly", "narrowly", "temporarily", "largely", "repeatedly", "officially")
OPENERS = ("Meanwhile,", "Separately,", "Earlier,", "In a statement,", "At the same time,", "By contrast,",
           "Last year,", "For now,", "Until then,", "In response,", "As a result,", "Despite this,", "Since then,",
           "In the meantime,", "Behind the scenes,", "On paper,")
WHEN = ("on {day}", "last week", "this month", "late on {day}", "early on {day}", "in {month}", "overnight",
        "earlier this year", "at the weekend", "since {month}")
MONTHS = ("January", "February", "March", "April", "June", "July", "September", "October", "November")
PREPOSITIONS = ("amid", "despite", "after", "before", "over", "ahead of", "because of", "following", "without",
                "alongside", "in place of", "as part of", "in spite of", "in line with", "on behalf of", "against",
                "under", "beyond", "through", "within")
ATTRIBUTIONS = ("a spokesperson for {org} said", "{person} told a news conference", "officials in {place} confirmed",
                "{person} wrote in a letter", "according to a report by {org}", "{person} said in an interview",
                "{person} told local radio", "a document seen by reporters showed", "{org} said in a filing",
                "two people familiar with the matter said", "{person} told lawmakers", "{org} confirmed by email")
QUOTES = ('"{np} is {adj}, and we will {verb_base} it,"', '"Nobody expected {np} to come so soon,"',
          '"We have waited {number} days for {np},"', '"This is about {np}, not about politics,"',
          '"If {np} fails, {place} pays the price,"', '"I told them {np} was never an option,"',
          '"Give us {np} and we will deliver,"', '"The numbers on {np} speak for themselves,"')
BASE_VERBS = ("defend", "fight", "finish", "protect", "rebuild", "review", "challenge", "support")
WHO = ("officials in {place}", "residents of {place}", "leaders in {place}", "the mayor of {place}",
       "authorities in {place}", "unions in {place}", "traders in {place}", "families in {place}")
ABOUT = ("plans for", "proposals on", "talks about", "a review of", "the cost of", "funding for", "rules on",
         "a ban on", "limits on", "a study of")
DETERMINERS = ("the", "a", "its", "this", "that", "every", "another", "one", "each", "their")
ORG_KINDS = ("Group", "Union", "Authority", "Ministry", "Council")
THINGS = ("Fund", "Bridge", "Accord", "Programme", "Corridor", "Terminal", "Commission", "Plan", "Centre", "Line")
SAY = ("said", "told reporters", "stated")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SYLLABLES = ("ka", "ren", "do", "mir", "sa", "vel", "to", "lin", "ar", "bo", "ne", "zi", "ol", "ma", "ri", "sten",
             "ha", "gor", "li", "ev", "tu", "dan", "pe", "ros", "ig", "la", "nor", "vik", "el", "us")
PADDING = (
    "Analysts say the {a} {n} could have {a} consequences for the {n}.",
    "This development underscores the {a} pressure on the {n} in recent months.",
    "Observers believe the {n} will remain a {a} issue for the {n} this year.",
    "It remains to be seen how the {n} will respond to the {a} {n}.",
    "Experts have long argued that the {n} needs a {a} {n}.",
    "Readers can follow our coverage of the {n} on this page.",
)
Word = tuple[str, int]  # (part of speech, synonym group)
Chunk = list[str | Word]


@dataclass
class Fact:
    """A sentence as chunks of literal text and synonym-group words.

    ``front`` (a time, place or prepositional phrase) ends the sentence in the
    source and moves to the start in reordered rewrites; ``opener`` always leads.
    """

    main: Chunk
    front: Chunk
    opener: str = ""


@dataclass
class Story:
    """Entities, vocabulary (synonym-group indices by part of speech) and facts of one family."""

    cluster: str
    people: list[str]
    places: list[str]
    orgs: list[str]
    things: list[str]
    numbers: list[str]
    topic: dict[str, list[int]]
    frames: dict[str, list[str]]
    title: Chunk
    facts: list[Fact]


GROUPS = {"n": NOUNS, "v": VERBS, "a": ADJECTIVES}


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _number(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"{rng.randint(2, 95)}.{rng.randint(1, 9)} percent"
    if kind == 1:
        return f"{rng.randint(12, 980):,} million {rng.choice(('dollars', 'euros', 'valdors'))}"
    if kind == 2:
        return f"{rng.randint(120, 48_000):,}"
    return f"{rng.randint(2, 60)}"


def _np(rng: random.Random, story: Story) -> Chunk:
    """A noun phrase from the story's vocabulary: 'the key plan', 'a shortage', 'the Taviro Fund', ..."""
    if rng.random() < 0.2:
        return ["the", rng.choice(story.things)]
    det = rng.choice(story.frames["det"])
    adj: Chunk = [("a", rng.choice(story.topic["a"]))] if rng.random() < 0.5 else []
    return [det, *adj, ("n", rng.choice(story.topic["n"]))]


def _fact(rng: random.Random, story: Story) -> Fact:
    """One fact: subject, verb, object and modifiers from the story's entities and vocabulary."""
    person, place, org, number = (rng.choice(story.people), rng.choice(story.places), rng.choice(story.orgs),
                                  rng.choice(story.numbers))
    frames = story.frames
    if rng.random() < 0.15:
        quote = rng.choice(frames["quote"]).format(np=" ".join(_flat(_np(rng, story))), adj=rng.choice(ADJECTIVES)[0],
                                          verb_base=rng.choice(BASE_VERBS), number=number, place=place)
        return Fact([quote, person, ("say", 0)], [])
    subject = rng.choice(([person], [org], [rng.choice(frames["who"]).format(place=place)], _np(rng, story),
                          [number, ("n", rng.choice(story.topic["n"]))]))
    obj: Chunk = rng.choice((_np(rng, story), [*_np(rng, story), "worth", number],
                             [rng.choice(frames["about"]), *_np(rng, story), "in", place],
                             [*_np(rng, story), "of", number]))
    adverb = [rng.choice(ADVERBS)] if rng.random() < 0.3 else []
    main: Chunk = [*subject, *adverb, ("v", rng.choice(story.topic["v"])), *obj]
    if rng.random() < 0.5:
        main += [rng.choice(frames["prep"]), *_np(rng, story)]
    if rng.random() < 0.2:
        main += [",", rng.choice(frames["attr"]).format(person=person, org=org, place=place)]
    opener = rng.choice(frames["opener"]) if rng.random() < 0.15 else ""
    when = rng.choice(frames["when"]).format(day=rng.choice(WEEKDAYS), month=rng.choice(MONTHS))
    front = rng.choice(([when], ["in", place], [rng.choice(frames["prep"]), *_np(rng, story)]))
    return Fact(main, front, opener)


def _flat(chunk: Chunk) -> list[str]:
    return [part if isinstance(part, str) else GROUPS[part[0]][part[1]][0] for part in chunk]


def new_story(rng: random.Random, cluster: str, borrow: Story | None = None) -> Story:
    """A story with its own entities and vocabulary; ``borrow`` lends it one person and one place (same beat)."""
    people = [f"{_name(rng, 2)} {_name(rng, 3)}" for _ in range(3)]
    places = [_name(rng, 3) for _ in range(3)]
    if borrow is not None:
        people[0], places[0] = borrow.people[0], borrow.places[0]
    orgs = [f"the {_name(rng, 2)} {rng.choice(ORG_KINDS)}" for _ in range(2)]
    things = [f"{_name(rng, 2)} {rng.choice(THINGS)}" for _ in range(3)]
    topic = {pos: rng.sample(range(len(words)), size) for pos, words, size in
             (("n", NOUNS, 18), ("v", VERBS, 8), ("a", ADJECTIVES, 6))}
    frames = {name: rng.sample(pool, k) for name, pool, k in (
        ("prep", PREPOSITIONS, 5), ("when", WHEN, 3), ("attr", ATTRIBUTIONS, 3), ("quote", QUOTES, 2),
        ("opener", OPENERS, 4), ("who", WHO, 2), ("about", ABOUT, 2), ("det", DETERMINERS, 4))}
    story = Story(cluster, people, places, orgs, things, [_number(rng) for _ in range(12)], topic, frames, [], [])
    story.facts = [_fact(rng, story) for _ in range(40)]
    story.title = [places[0], ("n", rng.choice(topic["n"])), ("v", rng.choice(topic["v"])), "as",
                   ("n", rng.choice(topic["n"])), rng.choice(("grows", "deepens", "stalls", "widens"))]
    return story


def _render(chunk: Chunk, rng: random.Random, swap: float) -> str:
    """Chunk text: each synonym-group word is the group's first word, or with chance ``swap`` a random one."""
    words = []
    for part in chunk:
        if isinstance(part, str):
            words.append(part)
            continue
        pos, group = part
        options = SAY if pos == "say" else GROUPS[pos][group]
        words.append(options[rng.randrange(len(options))] if swap and rng.random() < swap else options[0])
    return " ".join(words).replace(" ,", ",")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(fact: Fact, rng: random.Random, swap: float = 0.0, reorder: float = 0.0) -> str:
    main = _render(fact.main, rng, swap)
    if not fact.front:
        return _capital(main) + "."
    front = _render(fact.front, rng, swap)
    text = f"{front}, {main}" if reorder and rng.random() < reorder else f"{main} {front}"
    return _capital(f"{fact.opener} {text}" if fact.opener else text) + "."


def _padding(rng: random.Random, k: int) -> list[str]:
    out = []
    for _ in range(k):
        template = rng.choice(PADDING)
        while "{" in template:
            pos = template[template.index("{") + 1]
            template = template.replace("{" + pos + "}", rng.choice(GROUPS[pos])[rng.randrange(3)], 1)
        out.append(template)
    return out


STYLES = {  # swap, reorder, drop, padding sentences, shuffle paragraphs
    "light": (0.12, 0.0, 0.05, (0, 1), False),
    "heavy": (0.6, 0.5, 0.2, (2, 5), True),
}
WORDS_PER_ARTICLE = 540


def render_article(story: Story, rng: random.Random, style: str) -> tuple[str, str]:
    """Title and text of one article of ``story`` in ``style`` (source, copy, light or heavy).

    Facts are taken in order until the source text reaches about
    ``WORDS_PER_ARTICLE`` words, so every article of a story draws on the
    same facts; rewrites then drop, reword and pad.
    """
    swap, reorder, drop, pad, shuffle = STYLES.get(style, (0.0, 0.0, 0.0, (0, 0), False))
    sentences, words = [], 0
    for fact in story.facts:
        if words >= WORDS_PER_ARTICLE:
            break
        text = _sentence(fact, rng)
        words += len(text.split())
        if style in STYLES:
            if rng.random() < drop:
                continue
            text = _sentence(fact, rng, swap, reorder)
        sentences.append(text)
    paragraphs = [sentences[i: i + 3] for i in range(0, len(sentences), 3)]
    if shuffle and len(paragraphs) > 2:
        body = paragraphs[1:]
        rng.shuffle(body)
        paragraphs = paragraphs[:1] + body
    if style == "copy":
        paragraphs.append(_padding(rng, 3))
    elif pad[1]:
        for sentence in _padding(rng, rng.randint(*pad)):
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), [sentence])
    title = _render(story.title, rng, 0.5 if style == "heavy" else 0.0)
    if style == "copy":
        title = f"{title}: what we know"
    return title, f"{title}\n\n" + "\n\n".join(" ".join(p) for p in paragraphs)


def generate(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` labelled articles; the same ``n`` and ``seed`` always give the same corpus."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    stories: list[Story] = []
    start = date(2024, 1, 1)
    while len(records) < n:
        day = start + timedelta(days=rng.randrange(700))
        number = len(stories)
        if rng.random() < 0.35:
            borrow = rng.choice(stories) if stories and rng.random() < 0.3 else None
            story = new_story(rng, f"distractor-{number}", borrow)
            records.append(_record(*render_article(story, rng, "source"), story, "distractor", day))
        else:
            story = new_story(rng, f"story-{number}")
            records.append(_record(*render_article(story, rng, "source"), story, "source", day))
            for k in range(rng.choice((1, 1, 2, 2, 3, 4, 6))):
                style = rng.choice(("copy", "light", "heavy", "heavy"))
                records.append(_record(*render_article(story, rng, style), story, "rewrite",
                                       day + timedelta(days=1 + k)))
        stories.append(story)
    records = records[:n]
    rng.shuffle(records)
    for i, r in enumerate(records):
        r["id"] = f"gen-{seed}-{i:06d}"
    return records


def syndicated(n: int, style: str, seed: int = 0) -> list[dict[str, Any]]:
    """One wire story and ``n`` republications over five days: ``copy`` verbatim, or ``light`` rewrites."""
    rng = random.Random(seed)
    story = new_story(rng, "wire-story")
    title, text = render_article(story, rng, "source")
    day = date(2024, 5, 3)
    records = [_record(title, text, story, "source", day)]
    for k in range(n):
        t, body = (title, text) if style == "copy" else render_article(story, rng, style)
        records.append(_record(t, body, story, "rewrite", day + timedelta(days=k % 5)))
    for i, r in enumerate(records):
        r["id"] = f"syn-{style}-{i:06d}"
    return records


def _record(title: str, text: str, story: Story, role: str, day: date) -> dict[str, Any]:
    return {"id": "", "title": title, "text": text, "date": day.isoformat(), "cluster": story.cluster,
            "role": role, "also": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", default="news", choices=("news", "copy", "light"),
                        help="news: rewrite families and distractors; copy/light: one story syndicated n times")
    parser.add_argument("--out", help="JSONL file to write (default: stdout)")
    args = parser.parse_args(argv)
    records = generate(args.n, args.seed) if args.corpus == "news" else syndicated(args.n, args.corpus, args.seed)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(lines)
    else:
        sys.stdout.write(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
