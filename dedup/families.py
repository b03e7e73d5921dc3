"""Rewrite families from pair evidence: membership, origin, core, additions, credits.

Membership is average-linkage agglomeration over the sparse graph of the
judge's pair confidences (pairs never compared count 0). Unlike connected
components, an article that mixes two reports cannot chain both families
together: a merge needs the *average* confidence between two groups to reach
``family_link``, and no family spans more than ``date_window_days`` between
its dated members (undated articles cannot chain last month's story into this
one's). A rewrite link that misses both leads while other rewrites retell each
lead joins two stories through their background and is no family link
(:func:`_background_links`). A member's links into other families are
reported under ``also`` with the pairs behind them. At syndication scale:
(near-)duplicates start as one group, copies of one text lend each other their
links, and the average counts only the pairs a document could have compared
under the candidate cap. Core passages are numbered and related groups found
here, so the views only paint them.
"""
from __future__ import annotations

import heapq
import re
from datetime import date
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .config import Config
from .documents import Document
from .judge import LeadWeights
from .records import (DROP, DUPLICATE, KEEP, LINKS, NEAR_DUPLICATE, RELATED, AlsoLink, AlsoPair, Family,
                      Member, Offsets, PairRecord, RelatedGroup, Span)
from .text import language

# Agencies as they are credited in running text: a match names the agency. The literals are strings a match
# must contain: most texts contain none of them, and a substring test is ~50x cheaper than a regex scan.
_AGENCIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("TASS", r"\bTASS\b|\bТАСС\b|\bITAR-TASS\b", ("TASS", "ТАСС")),
    ("AFP", r"\bAFP\b|Agence France[- ]Presse", ("AFP", "Agence France")),
    ("Reuters", r"\bReuters\b|\bРейтер", ("Reuters", "Рейтер")),
    ("AP", r"\bAssociated Press\b|\(AP\)|\bAP\b(?= (?:reported|reports|said|news agency))", ("Associated Press", "AP")),
    ("Interfax", r"\bInterfax\b|\bИнтерфакс", ("Interfax", "Интерфакс")),
    ("RIA Novosti", r"\bRIA Novosti\b|\bРИА Новости\b|\bRIA\b", ("RIA", "РИА Новости")),
    ("KCNA", r"\bKCNA\b|Korean Central News Agency|\bЦТАК\b", ("KCNA", "Korean Central News Agency", "ЦТАК")),
    ("Xinhua", r"\bXinhua\b|\bСиньхуа\b", ("Xinhua", "Синьхуа")),
    ("Yonhap", r"\bYonhap\b|\bЁнхап", ("Yonhap", "Ёнхап")),
    ("Anadolu", r"\bAnadolu\b", ("Anadolu",)),
    ("Bloomberg", r"\bBloomberg\b", ("Bloomberg",)),
    ("dpa", r"\bdpa\b|Deutsche Presse-Agentur", ("dpa", "Deutsche Presse-Agentur")),
    ("EFE", r"\bEFE\b", ("EFE",)),
    ("ANSA", r"\bANSA\b", ("ANSA",)),
    ("Kyodo", r"\bKyodo\b", ("Kyodo",)),
    ("Sputnik", r"\bSputnik\b|\bСпутник\b", ("Sputnik", "Спутник")),
    ("Ukrinform", r"\bUkrinform\b|\bУкрінформ", ("Ukrinform", "Укрінформ")),
    ("BelTA", r"\bBelTA\b|\bБелТА\b", ("BelTA", "БелТА")),
    ("IRNA", r"\bIRNA\b", ("IRNA",)),
    ("NNA", r"\bNNA\b|Norland News Agency", ("NNA", "Norland News Agency")),
]
_AGENCY_RE = [(re.compile(pattern), name, literals) for name, pattern, literals in _AGENCIES]
# 'MOSCOW, December 28. /TASS/.', 'LENZ, Feb 21 (Reuters) -', '... (AFP) —': agency copy's own dateline
_DATELINE_RE = re.compile(r"/[A-ZА-ЯЁ][\w-]{1,12}/\.?|\((?:[A-Z][\w-]{1,20}|Associated Press|Agence France-Presse)\)\s*[-–—]")


def credited_agencies(text: str) -> list[str]:
    """News agencies credited or named in ``text``, in order of first mention."""
    found: list[tuple[int, str]] = []
    for rx, name, literals in _AGENCY_RE:
        m = rx.search(text) if any(x in text for x in literals) else None
        if m:
            found.append((m.start(), name))
    return [name for _, name in sorted(found)]


def _comparable(nx: int, ny: int, cap: int | None) -> int:
    """How many pairs between groups of ``nx`` and ``ny`` items the candidate stage could have compared.

    Every pair when both groups are small; with ``cap`` candidates per
    document, a member of the smaller group meets at most about ``cap``
    members of the other: a story copied by 2,000 outlets has most of its
    pairs never compared, and those count for nothing rather than 0.
    """
    pairs = nx * ny
    return pairs if cap is None else min(pairs, cap * min(nx, ny))


def average_linkage(n: int, weights: dict[tuple[int, int], float], threshold: float,
                    days: Sequence[int | None] | None = None, window: float = float("inf"),
                    exempt: Iterable[tuple[int, int]] = (), anchor: float = 0.0,
                    cap: int | None = None, units: Iterable[Sequence[int]] = ()) -> list[list[int]]:
    """Sparse average-linkage clustering: merge while the best average link >= threshold.

    ``weights`` maps (i, j), i < j, to a similarity in [0, 1]; missing pairs
    are 0, so the cost is driven by the number of links, not n². The average
    is over the pairs that could have been compared (:func:`_comparable`, with
    ``cap`` candidates per item; all pairs when None). Items of one of
    ``units`` start as one group and stay together (copies of one text,
    near-duplicates: one story however many outlets print it). Two groups
    merge only when some pair between them reaches ``anchor``: many weak
    pairs do not make a link. With ``days`` (a day number per item, None when
    unknown) no group may span more than ``window`` days between its dated
    members, unless the two groups are joined by an ``exempt`` pair (a
    duplicate republished later). Deterministic: ties break on the smallest
    member index.
    """
    unit = list(range(n))
    fixed: set[int] = set()
    for u in units:
        first = min(u)
        for x in u:
            unit[x] = first
        if len(u) > 1:
            fixed.update(u)
    members: dict[int, list[int]] = {}
    for x in range(n):
        members.setdefault(unit[x], []).append(x)
    links: dict[int, dict[int, float]] = {g: {} for g in members}
    strongest: dict[int, dict[int, float]] = {g: {} for g in members}
    bridges: dict[int, set[int]] = {g: set() for g in members}
    for (i, j), w in weights.items():
        x, y = unit[i], unit[j]
        if x == y:
            continue
        links[x][y] = links[x].get(y, 0.0) + w
        links[y][x] = links[y].get(x, 0.0) + w
        strongest[x][y] = strongest[y][x] = max(strongest[x].get(y, 0.0), w)
    for i, j in exempt:
        if unit[i] != unit[j]:
            bridges[unit[i]].add(unit[j])
            bridges[unit[j]].add(unit[i])
    span: dict[int, tuple[int, int] | None] = {}
    for g, m in members.items():
        dated = [days[x] for x in m if days[x] is not None] if days is not None else []
        span[g] = (min(dated), max(dated)) if dated else None
    heap: list[tuple[float, int, int, int, int]] = []

    def joint(x: int, y: int) -> tuple[int, int] | None:
        sx, sy = span[x], span[y]
        if sx is None or sy is None:
            return sx or sy
        return min(sx[0], sy[0]), max(sx[1], sy[1])

    def push(x: int, y: int) -> None:
        avg = links[x][y] / _comparable(len(members[x]), len(members[y]), cap)
        if avg < threshold or strongest[x][y] < anchor:
            return
        both = joint(x, y)
        if both is not None and both[1] - both[0] > window and y not in bridges[x]:
            return
        a, b = (x, y) if min(members[x]) < min(members[y]) else (y, x)
        heapq.heappush(heap, (-avg, min(members[a]), min(members[b]), a, b))

    for x in links:
        for y in links[x]:
            if x < y:
                push(x, y)
    next_id = n
    while heap:
        neg, _, _, x, y = heapq.heappop(heap)
        if x not in members or y not in members:
            continue
        if abs(-neg - links[x][y] / _comparable(len(members[x]), len(members[y]), cap)) > 1e-12:
            continue  # stale entry
        z = next_id
        next_id += 1
        members[z] = members.pop(x) + members.pop(y)
        span[z] = joint(x, y)
        bridges[z] = (bridges.pop(x) | bridges.pop(y)) - {x, y}
        for other in bridges[z]:
            bridges[other] -= {x, y}
            bridges[other].add(z)
        merged: dict[int, float] = {}
        top: dict[int, float] = {}
        for old in (x, y):
            for other, w in links.pop(old).items():
                if other in (x, y):
                    continue
                merged[other] = merged.get(other, 0.0) + w
                top[other] = max(top.get(other, 0.0), strongest[old][other])
                del links[other][old], strongest[other][old]
            del strongest[old]
        links[z], strongest[z] = merged, top
        for other, w in merged.items():
            links[other][z] = w
            strongest[other][z] = top[other]
            push(z, other)
    groups = _reassign([sorted(m) for m in members.values()], weights, days, window, anchor, cap, fixed)
    return sorted((sorted(m) for m in groups if m), key=lambda m: (-len(m), m[0]))


def _reassign(groups: list[list[int]], weights: dict[tuple[int, int], float], days: Sequence[int | None] | None,
              window: float, anchor: float, cap: int | None, fixed: set[int], rounds: int = 5) -> list[list[int]]:
    """Move members of groups of 3+ to the group they link to most strongly on average.

    Merging is greedy: an article whose strongest single link is into the
    wrong story (a report whose recap repeats it) joins that story first and
    is never revisited. Afterwards each member of a group of three or more
    moves to another group of two or more when its average link there beats
    its average link to the rest of its own group, and one of its links there
    reaches ``anchor``, unless that would stretch the target past ``window``
    days between dated members.
    """
    adjacency: dict[int, dict[int, float]] = {}
    for (i, j), w in weights.items():
        adjacency.setdefault(i, {})[j] = w
        adjacency.setdefault(j, {})[i] = w
    group_of = {x: g for g, members in enumerate(groups) for x in members}
    for _ in range(rounds):
        moved = False
        for x in sorted(group_of):
            own = group_of[x]
            if len(groups[own]) < 3 or x in fixed:
                continue
            sums: dict[int, float] = {}
            tops: dict[int, float] = {}
            for y, w in adjacency.get(x, {}).items():
                sums[group_of[y]] = sums.get(group_of[y], 0.0) + w
                tops[group_of[y]] = max(tops.get(group_of[y], 0.0), w)
            stay = sums.get(own, 0.0) / _comparable(1, len(groups[own]) - 1, cap)
            best, best_avg = own, stay
            for g, total in sorted(sums.items()):
                avg = total / _comparable(1, len(groups[g]), cap)
                if (g != own and len(groups[g]) >= 2 and avg > best_avg and tops[g] >= anchor
                        and _fits(x, groups[g], days, window)):
                    best, best_avg = g, avg
            if best != own:
                groups[own].remove(x)
                groups[best].append(x)
                group_of[x] = best
                moved = True
        if not moved:
            break
    return groups


def _fits(x: int, group: list[int], days: Sequence[int | None] | None, window: float) -> bool:
    """Whether ``x`` can join ``group`` without the group spanning more than ``window`` days."""
    if days is None or days[x] is None:
        return True
    dated = [days[y] for y in group if days[y] is not None] + [days[x]]
    return max(dated) - min(dated) <= window


def _merge_intervals(spans: list[tuple[int, int, str]]) -> list[Span]:
    """Union of (start, end, partner) ranges, keeping who shares each merged range."""
    out: list[Span] = []
    for start, end, who in sorted(spans):
        if out and start <= out[-1].end:
            out[-1].end = max(out[-1].end, end)
            if who not in out[-1].shared_with:
                out[-1].shared_with.append(who)
        else:
            out.append(Span(start, end, [who]))
    for s in out:
        s.shared_with.sort()
    return out


def _added_spans(doc: Document, shared: list[Span], sentences: list[tuple[int, int]], min_chars: int) -> list[Span]:
    """Sentences of ``doc`` that overlap no shared span: what this member added."""
    added: list[Span] = []
    k = 0
    for start, end in sentences:
        while k < len(shared) and shared[k].end <= start:
            k += 1
        if k < len(shared) and shared[k].start < end:
            continue
        if end - start < min_chars:
            continue
        if added and doc.text[added[-1].end:start].strip() == "":
            added[-1].end = end
        else:
            added.append(Span(start, end))
    return added


def _lend_to_copies(docs: list[Document], weights: dict[tuple[int, int], float], window: float) -> None:
    """Give each copy of a text the links of the document that stands for it (:func:`same_text`).

    Copies are compared once, through that document; average linkage
    counts a missing pair as unlinked, so without its links each copy would
    dilute its family's average towards every other article.
    """
    stands_for = same_text(docs)
    copies: dict[int, list[int]] = {}
    for k, first in enumerate(stands_for):
        if first != k:
            copies.setdefault(first, []).append(k)
    if not copies:
        return
    for (i, j), w in list(weights.items()):
        for x, other in ((i, j), (j, i)):
            if stands_for[other] == x:
                continue  # the link to its own copy
            for c in copies.get(x, ()):
                if _days_apart(docs[c], docs[other]) <= window:
                    key = (min(c, other), max(c, other))
                    weights[key] = max(weights.get(key, 0.0), w)


BACKGROUND = "each one's lead is retold by other articles, not by the other: they share only background"
"""Why a link between two stories' articles is overruled by :func:`_background_links`."""


def _background_links(pairs: Sequence[PairRecord], sentences: Mapping[str, Sequence[Offsets]],
                      min_chars: int, anchor: float) -> set[int]:
    """Indices of the rewrite links that join two stories through background alone.

    A news report tells its own news first: the lead. Two reports of one
    affair (an arrival, then the talks the next day) repeat the same
    background paragraphs and every name, so the judge can read them as one
    report; what gives them away is their leads. A rewrite link is taken for
    background when neither article's lead (its first two sentences of
    ``min_chars`` or more, as the judge reads it) lies in a passage shared
    with the other, while each article's lead *is* retold by another rewrite
    it is linked to, and no article retells both leads: two stories, each
    with its own rewrites, sharing what comes after their leads. A rewrite
    link here is any pair that could anchor a family merge (confidence
    ``anchor`` or more), whether or not it is sure enough to show as a link;
    copies of one text retell its lead too, but say nothing of which story it
    belongs to, so (near-)duplicates do not count.
    """
    leads: dict[str, list[Offsets]] = {}

    def lead(doc_id: str) -> list[Offsets]:
        if doc_id not in leads:
            offsets = sentences.get(doc_id, [])
            leads[doc_id] = [offsets[k] for k in LeadWeights.of([e - s for s, e in offsets], min_chars).rows(2)]
        return leads[doc_id]

    def told(doc_id: str, spans: list[Offsets]) -> bool:  # a passage on this side overlaps the lead
        return any(ps < le and pe > ls for ps, pe in spans for ls, le in lead(doc_id))

    retold: dict[str, set[str]] = {}  # article -> the rewrites that retell its lead
    bare: list[tuple[int, str, str]] = []
    for k, p in enumerate(pairs):
        if p.relation in (DUPLICATE, NEAR_DUPLICATE) or p.confidence < anchor:
            continue
        told_a = told(p.a, [(x.a_start, x.a_end) for x in p.passages])
        told_b = told(p.b, [(x.b_start, x.b_end) for x in p.passages])
        if told_a:
            retold.setdefault(p.a, set()).add(p.b)
        if told_b:
            retold.setdefault(p.b, set()).add(p.a)
        if not told_a and not told_b:
            bare.append((k, p.a, p.b))
    out = set()
    for k, a, b in bare:
        by_a, by_b = retold.get(a, set()) - {b}, retold.get(b, set()) - {a}
        if by_a and by_b and not by_a & by_b:
            out.add(k)
    return out


def _days_apart(a: Document, b: Document) -> float:
    """Days between two publication dates; 0 when either is unknown."""
    return abs(a.day - b.day) if a.day is not None and b.day is not None else 0.0


def same_text(docs: Sequence[Document]) -> list[int]:
    """For each document, the index of the one that stands for its exact text (itself when it is the first).

    Syndication copies a wire story verbatim hundreds of times; each text is
    compared and clustered once, by its earliest-dated copy (undated last,
    then by id, so the choice does not depend on input order), and its copies
    follow it as duplicates.
    """
    first: dict[str, int] = {}
    order = sorted(range(len(docs)), key=lambda k: (docs[k].day is None, docs[k].day or 0, docs[k].id))
    for k in order:
        first.setdefault(docs[k].text, k)
    return [first[d.text] for d in docs]


def build_families(
    docs: list[Document],
    pairs: list[PairRecord],
    sentences: dict[str, list[tuple[int, int]]],
    config: Config,
) -> tuple[list[Family], dict[str, str], dict[str, list[AlsoLink]]]:
    """Cluster documents into families.

    Returns the families (2+ members), the family id of each clustered
    document, and for every document its ``also`` links into other families.
    ``sentences`` maps a document id to its sentence offsets (for additions).
    Duplicates and near-duplicates (one text printed by many outlets) start
    as one group and stay together.

    A link (rewrite or (near-)duplicate) whose two articles end up in
    different families is contradicted by the family-level evidence (the
    average confidence between the groups, or the date window): its
    ``relation`` becomes ``related`` here, and ``evidence["overruled"]`` says
    why, so no link a user reads joins two different stories. A related pair
    confident enough to anchor a merge (``family_anchor``) but left apart gets
    the same reason.
    """
    index = {d.id: k for k, d in enumerate(docs)}
    window = config.date_window_days or float("inf")
    weights: dict[tuple[int, int], float] = {}
    exempt: list[tuple[int, int]] = []
    background = _background_links(pairs, sentences, config.min_sentence_chars, config.family_anchor)
    for k, p in enumerate(pairs):
        i, j = sorted((index[p.a], index[p.b]))
        if p.relation in (DUPLICATE, NEAR_DUPLICATE):
            exempt.append((i, j))
        elif _days_apart(docs[i], docs[j]) > window or k in background:
            continue
        weights[(i, j)] = max(weights.get((i, j), 0.0), p.confidence)
    _lend_to_copies(docs, weights, window)
    # (near-)duplicates cover each other almost entirely, so they cannot chain two stories: they start as one
    units: dict[int, list[int]] = {}
    for k, label in enumerate(components(len(docs), exempt).tolist()):
        units.setdefault(label, []).append(k)
    days = [d.day for d in docs]
    groups = [g for g in average_linkage(len(docs), weights, config.family_link, days, window, exempt,
                                         config.family_anchor, config.max_candidates_per_doc,
                                         units.values()) if len(g) > 1]

    by_doc: dict[str, list[PairRecord]] = {}
    for p in pairs:
        by_doc.setdefault(p.a, []).append(p)
        by_doc.setdefault(p.b, []).append(p)

    families: list[Family] = []
    family_of: dict[str, str] = {}
    width = max(4, len(str(len(groups))))
    for number, group in enumerate(groups, start=1):
        fid = f"F{number:0{width}d}"
        ids = [docs[k].id for k in group]
        for doc_id in ids:
            family_of[doc_id] = fid
    for k, p in enumerate(pairs):
        could_join = p.relation in LINKS or (p.relation == RELATED and p.confidence >= config.family_anchor)
        if could_join and (family_of.get(p.a) is None or family_of.get(p.a) != family_of.get(p.b)):
            p.relation = RELATED
            if _days_apart(docs[index[p.a]], docs[index[p.b]]) > window:
                p.evidence["overruled"] = f"published more than {config.date_window_days} days apart"
            elif k in background:
                p.evidence["overruled"] = BACKGROUND
            else:
                p.evidence["overruled"] = "the rest of their families does not back this link"
    for number, group in enumerate(groups, start=1):
        fid = f"F{number:0{width}d}"
        families.append(_describe_family(fid, [docs[k] for k in group], by_doc, sentences, config))

    shared_in_family = {m.id: m.shared for f in families for m in f.details}
    also = {d.id: _also_links(d.id, family_of, by_doc, shared_in_family.get(d.id, []), config) for d in docs}
    return families, family_of, also


def keep_or_drop(docs: Sequence[Document], families: Sequence[Family], pairs: Iterable[PairRecord],
                config: Config, languages: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """The keep/drop policy: ``(decision, reason)`` for every document, decided once and saved with it.

    A document in no family is kept. In a family the origin is kept; the other
    members are taken by date (undated last, then by id), and each is kept when
    at least ``keep_share`` of its content (shared plus added characters) lies
    outside the passages it shares with members kept before it, or when it is
    in another language than the origin (a translation); otherwise it is
    dropped, the reason naming the kept member that covers most of it and how
    they relate. So a verbatim or near-verbatim copy of a kept article is
    dropped, a rewrite adding little is dropped, and of several copies of one
    rewrite that adds much, the first is kept. A copy of a dropped text
    (compared only with the copy standing for it) is dropped too.
    ``languages`` (document id -> language, as profiling found) saves identifying them again.
    """
    known = languages or {}

    def language_of(doc_id: str) -> str:
        return known[doc_id] if doc_id in known else language(doc_of[doc_id].text)

    doc_of = {d.id: d for d in docs}
    stands_for = {d.id: docs[k].id for d, k in zip(docs, same_text(docs))}
    by_doc: dict[str, list[PairRecord]] = {}
    for p in pairs:
        by_doc.setdefault(p.a, []).append(p)
        by_doc.setdefault(p.b, []).append(p)
    out = {d.id: (KEEP, "not in a family") for d in docs}
    for f in families:
        out[f.origin] = (KEEP, f"origin of family {f.id}")
        kept = {f.origin}
        origin_language = language_of(f.origin)
        members = [m for m in f.details if m.id != f.origin]
        members.sort(key=lambda m: (doc_of[m.id].date is None, doc_of[m.id].date or "", m.id))
        for m in members:
            first = stands_for[m.id]
            if first != m.id and out.get(first, (KEEP,))[0] == DROP:  # compared only with it: shares its fate
                out[m.id] = (DROP, f"same text as {first}, which is dropped")
                continue
            spans: list[tuple[int, int, str]] = []
            relation_to: dict[str, str] = {}
            for p in by_doc.get(m.id, []):
                other = p.other(m.id)
                if other in kept:
                    relation_to[other] = p.relation
                    spans += [(q.a_start, q.a_end, other) if p.a == m.id else (q.b_start, q.b_end, other)
                              for q in p.passages]
            held = sum(s.end - s.start for s in _merge_intervals(spans))
            total = m.shared_chars + m.added_chars
            new = max(0, total - held) / total if total else 0.0
            covers = {other: sum(s.end - s.start for s in _merge_intervals([x for x in spans if x[2] == other]))
                      for other in relation_to}
            partner = min(covers, key=lambda o: (-covers[o], o)) if covers else None
            how = "" if partner is None else (f"{relation_to[partner]} of {partner}, "
                                              if relation_to[partner] in LINKS else f"related to {partner}, ")
            if new >= config.keep_share:
                out[m.id] = (KEEP, f"{how}adds {round(100 * new)}% new material")
            elif (own := language_of(m.id)) != origin_language:
                out[m.id] = (KEEP, f"translation ({own}) of {f.origin} ({origin_language})")
            else:
                out[m.id] = (DROP, f"{how}adds {round(100 * new)}%")
            if out[m.id][0] == KEEP:
                kept.add(m.id)
    return out


def _also_links(doc_id: str, family_of: dict[str, str], by_doc: dict[str, list[PairRecord]],
                own_shared: list[Span], config: Config) -> list[AlsoLink]:
    """Other families whose material ``doc_id`` mixes in, with the pairs as evidence.

    A link counts only when the passages shared with the other family are not
    already shared inside the document's own family: an original quoted by a
    mixed article does not itself mix anything in.
    """
    own = family_of.get(doc_id)
    links: dict[str, list[PairRecord]] = {}
    for p in by_doc.get(doc_id, []):
        other = p.b if p.a == doc_id else p.a
        fam = family_of.get(other)
        if fam is None or fam == own:
            continue
        if p.relation == RELATED and min(p.matched_a, p.matched_b) < config.also_min_sentences:
            continue
        links.setdefault(fam, []).append(p)
    out = []
    for fam, ps in sorted(links.items()):
        spans = [(q.a_start, q.a_end) if p.a == doc_id else (q.b_start, q.b_end) for p in ps for q in p.passages]
        foreign = _uncovered(spans, own_shared)
        if foreign < config.min_sentence_chars:
            continue
        out.append(AlsoLink(fam, round(max(p.confidence for p in ps), 4), foreign,
                            tuple(AlsoPair(p.other(doc_id), p.relation, p.confidence, len(p.passages)) for p in ps)))
    return out


def _uncovered(spans: list[tuple[int, int]], own: list[Span]) -> int:
    """Characters of the union of ``spans`` that no span in ``own`` covers."""
    total = 0
    for merged in _merge_intervals([(s, e, "") for s, e in spans]):
        covered = sum(max(0, min(merged.end, o.end) - max(merged.start, o.start)) for o in own)
        total += max(0, merged.end - merged.start - covered)
    return total


def _describe_family(fid: str, members: list[Document], by_doc: dict[str, list[PairRecord]],
                     sentences: dict[str, list[tuple[int, int]]], config: Config) -> Family:
    ids = {m.id for m in members}
    details: list[Member] = []
    relations: dict[str, int] = {}
    seen_pairs: set[tuple[str, str]] = set()
    for doc in members:
        spans: list[tuple[int, int, str]] = []
        for p in by_doc.get(doc.id, []):
            other = p.b if p.a == doc.id else p.a
            if other not in ids:
                continue
            key = (min(p.a, p.b), max(p.a, p.b))
            if key not in seen_pairs:
                seen_pairs.add(key)
                relations[p.relation] = relations.get(p.relation, 0) + 1
            for ps in p.passages:
                s, e = (ps.a_start, ps.a_end) if p.a == doc.id else (ps.b_start, ps.b_end)
                spans.append((s, e, other))
        shared = _merge_intervals(spans)
        added = _added_spans(doc, shared, sentences.get(doc.id, []), config.min_sentence_chars)
        details.append(Member(doc.id, shared, added,
                              sum(s.end - s.start for s in shared), sum(s.end - s.start for s in added)))
    origin, rule = _origin(members, details)
    detail_of = {m.id: m for m in details}
    agencies: list[str] = []
    for doc in members:
        for a in credited_agencies(doc.text):
            if a not in agencies:
                agencies.append(a)
    return Family(
        id=fid,
        members=sorted(ids, key=lambda i: (i != origin, i)),
        origin=origin,
        origin_rule=rule,
        agencies=agencies,
        core=detail_of[origin].shared,
        details=sorted(details, key=lambda m: (m.id != origin, m.id)),
        relations=dict(sorted(relations.items())),
    )


def wire_dateline(text: str) -> str | None:
    """The agency whose wire dateline opens ``text`` ('MOSCOW, May 15. /TASS/.', '(Reuters) -'), if any.

    A dateline marks agency copy itself; a rewrite credits the agency in
    running text instead ('according to TASS').
    """
    m = _DATELINE_RE.search(text[:400])
    if not m:
        return None
    found = credited_agencies(m.group(0))
    return found[0] if found else None


def _origin(members: list[Document], details: list[Member]) -> tuple[str, str]:
    """The likely origin and the rule that decided it.

    With dates: the members published on the earliest date are the
    contenders; without: all members. Among the contenders, wire copy (a
    dateline) comes first, then the member sharing with most members and
    adding least.
    """
    detail_of = {m.id: m for m in details}

    def key(d: Document) -> tuple[bool, int, float, str]:
        m = detail_of[d.id]
        partners = len({w for s in m.shared for w in s.shared_with})
        total = m.shared_chars + m.added_chars or 1
        return (wire_dateline(d.text) is None, -partners, -(m.shared_chars / total), d.id)

    dated = [d for d in members if d.date]
    if dated:
        earliest = min(d.date for d in dated if d.date)
        contenders = [d for d in dated if d.date == earliest]
        rule = "earliest date"
    else:
        contenders = list(members)
        rule = "no dates"
    best = sorted(contenders, key=key)[0]
    if len(contenders) > 1:
        rule += ", then wire dateline" if wire_dateline(best.text) else ", then shares with most members and adds least"
    return best.id, rule


def components(n: int, edges: Iterable[tuple[int, int]]) -> np.ndarray:
    """Connected component label of each of ``n`` nodes joined by ``edges`` (linear in nodes and edges)."""
    if not n:
        return np.zeros(0, dtype=np.int64)
    pairs = np.asarray(list(edges), dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


Aligned = tuple[str, str, list[tuple[int, int]]]
"""A pair's two document ids and the sentence indices its passages align."""


class Numbered(NamedTuple):
    """What :func:`core_and_related` reads of a pair record: which sentences its passages align, and what
    :func:`numbered_by` and a related group's summary read (the evidence's shared names and numbers, and why a
    link was overruled)."""

    a: str
    b: str
    relation: str
    confidence: float
    matched_a: int
    matched_b: int
    aligned: list[tuple[int, int]]
    evidence: dict[str, Any]

    @classmethod
    def of(cls, p: PairRecord) -> "Numbered":
        """What a decided pair record gives."""
        return cls(p.a, p.b, p.relation, p.confidence, p.matched_a, p.matched_b,
                   [(m.a, m.b) for q in p.passages for m in q.matches], _numbered_evidence(p.evidence))

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Numbered":
        """What a pair record's JSON, as :func:`dedup.results.encode_pair` wrote it in this run, gives: read
        without building (or checking) the whole record, which a corpus run would otherwise do for nearly every
        pair it saved."""
        scores = d["scores"]
        return cls(d["a"], d["b"], d["relation"], d["confidence"], scores["matched_sentences_a"],
                   scores["matched_sentences_b"], [(m["a"], m["b"]) for q in d["passages"] for m in q["sentences"]],
                   _numbered_evidence(d["evidence"]))


def _numbered_evidence(evidence: Mapping[str, Any]) -> dict[str, Any]:
    return ({k: evidence.get(k) or [] for k in ("shared_names", "shared_numbers")}
            | {"overruled": evidence.get("overruled")})


def core_and_related(families: Sequence[Family], pairs: Iterable[Numbered], texts: Mapping[str, str],
                     sentences: Mapping[str, Sequence[Offsets]], dates: Mapping[str, str | None],
                     config: Config) -> list[RelatedGroup]:
    """Number every family's core passages (setting the members' ``core`` spans) and find the related groups.

    ``pairs`` are what the decided pair records give (:class:`Numbered`;
    those :func:`numbered_by` rejects may be left out).
    """
    family_of = {m: f.id for f in families for m in f.members}
    inside: dict[str, list[Aligned]] = {}
    across: list[tuple[Aligned, float, dict[str, Any]]] = []
    for p in pairs:
        if not numbered_by(p, family_of, config):
            continue
        fa = family_of.get(p.a)
        if fa is not None and fa == family_of.get(p.b):
            inside.setdefault(fa, []).append((p.a, p.b, p.aligned))
        else:
            across.append(((p.a, p.b, p.aligned), p.confidence, p.evidence))
    for family in families:
        _number_core(family, inside.get(family.id, []), texts, sentences)
    return _related_groups(across, family_of, dates, texts, sentences, config)


def numbered_by(pair: PairRecord | Numbered, family_of: Mapping[str, str], config: Config) -> bool:
    """Whether :func:`core_and_related` reads ``pair``: a pair inside one family (its core passages), or a
    related pair across families or singletons aligning ``also_min_sentences`` (a related group's).
    Needs no sentence matches: a run reads the aligned sentences of these pairs only."""
    fa = family_of.get(pair.a)
    if fa is not None and fa == family_of.get(pair.b):
        return True
    return pair.relation == RELATED and min(pair.matched_a, pair.matched_b) >= config.also_min_sentences


def _sentence_groups(pairs: Sequence[Aligned]) -> tuple[list[tuple[str, int]], np.ndarray]:
    """Sentences that any of ``pairs`` aligns, ``(document id, sentence index)``, and the group of each:
    sentences aligned with each other, directly or through a third, are one group."""
    node: dict[tuple[str, int], int] = {}
    edges = [(node.setdefault((a, i), len(node)), node.setdefault((b, j), len(node)))
             for a, b, aligned in pairs for i, j in aligned]
    return list(node), components(len(node), edges)


def _numbered_spans(text: str, sentences: Sequence[Offsets], numbers: Mapping[int, int]) -> list[Span]:
    """Spans of the numbered sentences of one text; neighbours of one number separated only by whitespace
    make one span."""
    spans: list[Span] = []
    for k in sorted(numbers):
        start, end = sentences[k]
        if spans and spans[-1].passage == numbers[k] and not text[spans[-1].end:start].strip():
            spans[-1].end = end
        else:
            spans.append(Span(start, end, passage=numbers[k]))
    return spans


def _number(nodes: list[tuple[str, int]], labels: np.ndarray, order: Mapping[int, tuple[int, int]]
            ) -> dict[str, dict[int, int]]:
    """Document id -> sentence index -> passage number (1, 2, ...), numbering the groups in ``order``
    (group label -> sort key); groups missing from ``order`` get no number."""
    number = {label: k for k, label in enumerate(sorted(order, key=order.__getitem__), start=1)}
    out: dict[str, dict[int, int]] = {}
    for (doc_id, k), label in zip(nodes, labels.tolist()):
        if label in number:
            out.setdefault(doc_id, {})[k] = number[label]
    return out


def _number_core(family: Family, pairs: Sequence[Aligned], texts: Mapping[str, str],
                 sentences: Mapping[str, Sequence[Offsets]]) -> None:
    """Core passages of ``family``: sentences are joined when any pair inside the family aligns them; a
    joined group that reaches an origin sentence is a core passage, numbered in the order of the origin
    text, so one number follows a quote through every rewrite."""
    nodes, labels = _sentence_groups(pairs)
    order: dict[int, tuple[int, int]] = {}
    for (doc_id, k), label in zip(nodes, labels.tolist()):
        if doc_id == family.origin:
            order[label] = min(order.get(label, (k, 0)), (k, 0))
    numbering = _number(nodes, labels, order)
    for member in family.details:
        member.core = _numbered_spans(texts[member.id], sentences[member.id], numbering.get(member.id, {}))
    family.core = family.member(family.origin).core


def _related_groups(pairs: Sequence[tuple[Aligned, float, dict[str, Any]]], family_of: Mapping[str, str],
                    dates: Mapping[str, str | None], texts: Mapping[str, str],
                    sentences: Mapping[str, Sequence[Offsets]], config: Config) -> list[RelatedGroup]:
    """Families and singletons that share passages without being one family, largest group first.

    ``pairs`` are the related pairs across families or singletons that align
    enough sentences to mean something, with their confidence and evidence.
    Connected components of them chain every story that repeats one
    background sentence into a hairball (89 of tass-dev's 147 articles); so
    the families and singletons are grouped by average linkage of the pairs'
    confidence (``related_group_link``, within ``date_window_days``), as
    families are: a group grows only while its units are, on average,
    related to each other. Members are ordered by date; their shared
    sentences are numbered so that a passage three members share is one
    number in all three, in the order of the members, then of their text.
    """
    ids = sorted({x for (a, b, _), _, _ in pairs for x in (a, b)})
    index = {x: k for k, x in enumerate(ids)}
    # a family, or a singleton on its own (a document id may look like a family id)
    unit_of = {x: ("family", family_of[x]) if x in family_of else ("single", x) for x in ids}
    units: dict[tuple[str, str], list[int]] = {}
    for x in ids:
        units.setdefault(unit_of[x], []).append(index[x])
    weights: dict[tuple[int, int], float] = {}
    for (a, b, _), confidence, _ in pairs:
        key = (min(index[a], index[b]), max(index[a], index[b]))
        weights[key] = max(weights.get(key, 0.0), confidence)
    days = [_day(dates.get(x)) for x in ids]
    found = [[ids[k] for k in g] for g in average_linkage(
        len(ids), weights, config.related_group_link, days, config.date_window_days or float("inf"),
        units=list(units.values())) if len({unit_of[ids[k]] for k in g}) > 1]
    found.sort(key=lambda g: (-len(g), min(g)))
    group_of = {x: n for n, group in enumerate(found) for x in group}
    pairs_of: list[list[tuple[Aligned, float, dict[str, Any]]]] = [[] for _ in found]
    for p in pairs:
        (a, b, _), _, _ = p
        if a in group_of and group_of[a] == group_of.get(b) and unit_of[a] != unit_of[b]:
            pairs_of[group_of[a]].append(p)
    out = []
    for n, chosen in enumerate(pairs_of, start=1):
        members = sorted({x for (a, b, _), _, _ in chosen for x in (a, b)},
                         key=lambda m: (dates.get(m) is None, dates.get(m) or "", m))
        rank = {m: k for k, m in enumerate(members)}
        nodes, node_labels = _sentence_groups([p[0] for p in chosen])
        order: dict[int, tuple[int, int]] = {}
        for (doc_id, k), label in zip(nodes, node_labels.tolist()):
            order[label] = min(order.get(label, (rank[doc_id], k)), (rank[doc_id], k))
        numbering = _number(nodes, node_labels, order)
        joined = list(dict.fromkeys(unit_of[m][1] for m in members))
        out.append(RelatedGroup(f"R{n:04d}", members, [(a, b) for (a, b, _), _, _ in chosen],
                                {m: _numbered_spans(texts[m], sentences[m], numbering.get(m, {})) for m in members},
                                joined, _group_summary(members, joined, chosen, len(order), dates, family_of,
                                                       config)))
    return out


def _day(value: str | None) -> int | None:
    return date.fromisoformat(value).toordinal() if value else None


def _group_summary(members: Sequence[str], joined: Sequence[str],
                   pairs: Sequence[tuple[Aligned, float, dict[str, Any]]], passages: int,
                   dates: Mapping[str, str | None], family_of: Mapping[str, str], config: Config) -> str:
    """What a related group's articles share and why they are not one family, in one sentence."""
    families = len({family_of[m] for m in members if m in family_of})
    parts = [f"{families} {'family' if families == 1 else 'families'}"] if families else []
    if len(joined) > families:
        single = len(joined) - families
        parts.append(f"{single} single {'article' if single == 1 else 'articles'}")
    dated = sorted(d for d in (dates.get(m) for m in members) if d)
    when = ("" if not dated else f", published {dated[0]}" if dated[0] == dated[-1]
            else f", published {dated[0]} to {dated[-1]}")
    facts = []
    for key, word in (("shared_numbers", "figures"), ("shared_names", "names")):
        counts: dict[str, int] = {}
        for _, _, evidence in pairs:
            for value in evidence[key]:
                counts[value] = counts.get(value, 0) + 1
        common = sorted((v for v, c in counts.items() if c * 2 >= len(pairs)), key=lambda v: (-counts[v], v))
        if common:
            facts.append(f"{word} {', '.join(common[:5])}")
    shared = f" ({' and '.join(facts)})" if facts else ""
    reasons: dict[str, int] = {}
    for _, _, evidence in pairs:
        reason = evidence["overruled"] or f"below the {config.family_anchor:.0%} confidence that joins two families"
        reasons[reason] = reasons.get(reason, 0) + 1
    why = [f"{count} of their {len(pairs)} pairs {'is' if count == 1 else 'are'} {reason}" if reason.startswith("below")
           else f"{count} {'link is' if count == 1 else 'links are'} overruled ({reason})"
           for reason, count in sorted(reasons.items(), key=lambda r: (-r[1], r[0]))]
    who = f"{len(members)} articles in {' and '.join(parts)}" if families else f"{len(members)} single articles"
    return (f"{who}{when}, share {passages} "
            f"{'passage' if passages == 1 else 'passages'}{shared} but are not one family: {'; '.join(why)}.")
