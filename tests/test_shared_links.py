"""The second round of candidates: pairs whose two documents both link to a third one."""
from __future__ import annotations

import numpy as np

from dedup import Config, Dedup, Document, load_encoder
from dedup.candidates import Candidates, shared_link_candidates
from dedup.records import LINKS

WIRE = ("KABUL, Sept 1 (Reuters) - The death toll from the earthquake in eastern Afghanistan rose to 812, the "
        "Taliban government's spokesman Zabihullah Mujahid said on Monday. More than 2,800 people were injured in "
        "Kunar and Nangarhar provinces, he said. Rescue teams were still digging through the rubble of mud-brick "
        "houses in remote villages. The magnitude 6.0 quake struck at midnight at a depth of 8 kilometres.")


def _compared(pairs: list[tuple[int, int]], n: int) -> Candidates:
    a, b = (np.array(side, dtype=np.int64) for side in zip(*pairs))
    m = len(pairs)
    return Candidates(a, b, np.zeros(m), np.zeros(m, np.float32), np.zeros(m, np.int32), np.zeros(m, np.float32),
                      np.ones(m, np.uint8), np.zeros(n, np.float32))


def test_pairs_through_a_third_document_strongest_first_never_a_compared_one():
    rng = np.random.default_rng(7)
    signatures = rng.integers(0, 4, size=(5, 16)).astype(np.uint32)
    vectors = rng.normal(size=(5, 4)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    compared = _compared([(0, 1), (0, 3), (1, 2), (1, 3), (0, 4)], 5)
    links = np.array([(0, 1, 0.9), (1, 2, 0.8), (1, 3, 0.7), (0, 4, 0.6)])
    found = shared_link_candidates(links, compared, signatures, vectors, per_doc=10)
    # through 1: (0, 2) and (2, 3), not (0, 3), compared already; through 0: (1, 4)
    assert list(zip(found.a.tolist(), found.b.tolist())) == [(0, 2), (1, 4), (2, 3)]
    assert [found.scores(k).found_by for k in range(len(found))] == [("shared link",)] * 3
    for k, (i, j) in enumerate(zip(found.a, found.b)):
        assert found.jaccard[k] == np.mean(signatures[i] == signatures[j])
        assert np.isclose(found.doc_cosine[k], vectors[i] @ vectors[j])
    # each document lends pairs among its per_doc strongest links only: through 1, its links to 0 and 2
    fewer = shared_link_candidates(links, compared, signatures, vectors, per_doc=2)
    assert list(zip(fewer.a.tolist(), fewer.b.tolist())) == [(0, 2), (1, 4)]
    assert not len(shared_link_candidates(links, compared, signatures, vectors, per_doc=0))


def test_a_rewrite_the_searches_kept_from_another_is_compared_with_it_through_the_wire_they_share():
    docs = [Document("wire", WIRE),
            Document("copy", WIRE.replace("rose to", "climbed to").replace("Rescue teams", "Rescuers")),
            Document("other", WIRE.replace("Rescue teams were still digging", "Teams kept digging")
                     .replace("remote", "isolated").replace("he said", "Mujahid added"))]
    encoder = load_encoder("hash")
    # one candidate per document: the searches pair each rewrite with the wire only
    one_round = Dedup(encoder=encoder, config=Config(max_candidates_per_doc=1, shared_link_neighbours=0)).cluster(docs)
    assert {(p.a, p.b) for p in one_round.pairs} == {("copy", "wire"), ("other", "wire")}
    results = Dedup(encoder=encoder, config=Config(max_candidates_per_doc=1)).cluster(docs)
    pair = results.pair("copy", "other")
    assert pair.found_by == ("shared link",) and pair.relation in LINKS and pair.passages
    counts = results.run["counts"]
    assert counts["shared_link_pairs"] == 1 and counts["candidate_pairs"] == 3
    assert len({d.family for d in results.documents}) == 1
