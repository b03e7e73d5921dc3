"""The pieces that make 10^5 articles fit: distinct-sentence search, compact records, shared profiles."""
from __future__ import annotations

import json

import numpy as np

from dedup import Config, Dedup, Document, load_encoder
from dedup.align import profile
from dedup.align.scoring import _number_agreement
from dedup.candidates import _as_sentences
from dedup.encoders import UnitRows
from dedup.judge import LEAD_HALF_LIFE, LeadWeights
from dedup.records import PairRecord
from dedup.results import PairRecords, Results

TEXT_A = ("Officials said 41 people were hurt in 2019. The council met on Monday. "
          "Repairs will cost 12 million, officials said. Nobody was available for comment.")
TEXT_B = ("The council met on Monday. In 2019, 41 people were hurt, officials said. "
          "Repairs will cost 15 million. The mayor declined to comment on the 12 claims.")


def test_neighbour_texts_read_as_sentences_copies_first_and_cut_at_width():
    text_of = np.array([0, 1, 0, 2, 2, 0])  # text 0 in sentences 0, 2, 5; text 1 in 1; text 2 in 3, 4
    ids = np.array([[0, 2, 1], [1, 0, -1], [2, 0, 1]])
    sims = np.array([[1, .9, .8], [1, .7, 0], [1, .9, .6]], dtype=np.float32)
    listed, listed_sims = _as_sentences(sims, ids, text_of, 4)
    assert listed.tolist() == [[0, 2, 5, 3], [1, 0, 2, 5], [3, 4, 0, 2]]
    assert np.allclose(listed_sims, [[1, 1, 1, .9], [1, .7, .7, .7], [1, 1, .9, .9]])


def test_number_agreement_matches_its_definition():
    a, b = profile(TEXT_A), profile(TEXT_B)
    agree = _number_agreement(a, b)
    for i, na in enumerate(a.numbers):
        for j, nb in enumerate(b.numbers):
            want = 0.0 if not (na and nb) else (1.0 if na & nb else -1.0)
            assert agree[i, j] == want


def test_shared_profiles_equal_fresh_ones():
    seen: dict = {}
    shared = [profile(t, seen) for t in (TEXT_A, TEXT_B, TEXT_A)]
    for text, p in zip((TEXT_A, TEXT_B, TEXT_A), shared):
        fresh = profile(text)
        assert (p.norm, p.numbers, p.names, p.language) == (fresh.norm, fresh.numbers, fresh.names, fresh.language)
    assert shared[0].norm[1] is shared[1].norm[0]  # "The council met on Monday." is kept once
    # the figures 41 and 2019, told in two different sentences, are one set
    assert shared[0].numbers[0] == shared[1].numbers[1] == {"41", "2019"}
    assert shared[0].numbers[0] is shared[1].numbers[1]


def test_lead_weights_give_lead_coverage():
    lengths = [50, 10, 80, 30, 120]  # the 10-character line is no content sentence
    weights = LeadWeights.of(lengths, Config().min_sentence_chars)
    expected = [50 * 0.5 ** (0 / LEAD_HALF_LIFE), 0.0, 80 * 0.5 ** (1 / LEAD_HALF_LIFE),
                30 * 0.5 ** (2 / LEAD_HALF_LIFE), 120 * 0.5 ** (3 / LEAD_HALF_LIFE)]
    assert np.allclose(weights.weights, expected)
    assert weights.coverage([0, 2, 2]) == (expected[0] + expected[2]) / sum(expected)
    assert weights.coverage([1]) == 0.0


def test_pair_records_behave_as_a_list_and_write_their_lines(sample_results, tmp_path):
    rows = list(sample_results.pairs)[:2]
    records = PairRecords(rows[:1])
    records += rows[1:]
    assert len(records) == 2 and records[1] == rows[1] and list(records) == rows and records == rows
    records[0] = rows[1]
    assert records[0] == rows[1] and records[:1] == [rows[1]]
    del records[0]
    assert list(records) == rows[1:]
    Results([], [], PairRecords(rows)).write(tmp_path / "compact")
    written = (tmp_path / "compact" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    assert [PairRecord.from_json(json.loads(line)) for line in written] == rows


def test_copied_sentences_are_encoded_once_and_still_align():
    docs = [Document(id="a", text=TEXT_A), Document(id="b", text=TEXT_B), Document(id="c", text=TEXT_A + " Extra line.")]
    dedup = Dedup(encoder=load_encoder("hash"))
    results = dedup.cluster(docs)
    assert results.run["counts"]["sentences"] == 4 + 4 + 5
    pair = results.pair("a", "c")
    assert pair is not None and pair.relation in ("duplicate", "near-duplicate")
    assert all(m.semantic == 1.0 for p in pair.passages for m in p.matches)  # a copy's cosine stays exactly 1
    assert PairRecord.from_json(json.loads(json.dumps(pair.to_json()))) == pair


def test_a_run_pauses_the_garbage_collector_and_leaves_it_as_it_found_it():
    """The cyclic collector is off while a run builds its many long-lived objects (it is not what it
    collects), and back as the caller had it afterwards, also when the run fails on bad input."""
    import gc

    import pytest

    from dedup.documents import InputError

    seen = []
    encoder = load_encoder("hash")
    encode = encoder.encode

    def noting(texts, *args, **kwargs):
        seen.append(gc.isenabled())
        return encode(texts, *args, **kwargs)

    encoder.encode = noting
    docs = [Document("a", TEXT_A), Document("b", TEXT_B)]
    assert gc.isenabled()
    results = Dedup(encoder=encoder, workers=1).cluster(docs)
    assert seen and not any(seen) and gc.isenabled()
    Dedup(encoder=encoder, workers=1).rethreshold(results)
    assert gc.isenabled()
    with pytest.raises(InputError):
        Dedup(encoder=encoder, workers=1).cluster(docs + [Document("a", TEXT_B)])
    assert gc.isenabled()
    gc.disable()
    try:
        Dedup(encoder=encoder, workers=1).cluster(docs)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_sentence_vectors_are_kept_in_a_byte_each_and_read_back_as_unit_rows():
    texts = [f"The council approved {k} new flats on the river site, officials said." for k in range(40)]
    texts += ["Der Stadtrat genehmigte neue Wohnungen am Flussufer.", "Unrelated: the match ended in a draw."]
    exact = load_encoder("hash").encode(texts)
    rows = UnitRows(len(texts) + 1, exact.shape[1])
    rows.put(0, exact)
    rows.put(len(texts), exact[:1])  # a verbatim copy of the first text
    assert rows.codes.dtype == np.int8 and rows.codes.nbytes == (len(texts) + 1) * exact.shape[1]
    read = rows[np.arange(len(texts) + 1)]
    assert read.dtype == np.float32 and np.allclose(np.linalg.norm(read, axis=1), 1.0, atol=1e-6)
    assert float(read[0] @ read[-1]) == float(read[0] @ read[0])  # a copy is as close as the text to itself
    assert np.abs(read[:-1] @ read[:-1].T - exact @ exact.T).max() < 5e-3  # cosines barely move
    assert np.array_equal(rows[3:5], read[3:5]) and np.array_equal(rows[7], read[7])


def test_hash_vectors_count_each_trigram_as_defined_whatever_the_batch():
    """The batched trigram counting gives each text the vector of its definition, one trigram at a time, in any
    script (astral characters too), in any batch and after the remembered trigrams are forgotten."""
    import hashlib

    from dedup.encoders import HashingEncoder
    from dedup.text import normalise

    def by_definition(text: str, dim: int = 512) -> np.ndarray:
        v = np.zeros(dim)
        padded = f" {normalise(text)} "
        for i in range(len(padded) - 2):
            h = int.from_bytes(hashlib.blake2b(padded[i: i + 3].encode("utf-8"), digest_size=8).digest(), "little")
            v[h % dim] += 1.0 if (h >> 40) & 1 else -1.0
        return v / (np.linalg.norm(v) or 1.0)

    texts = [TEXT_A, "", "a", "ab", "Лавров прибыл в Пхеньян.", "وزیراعظم نے کہا۔", "東京で会談した。",
             "Fans cheered 🎉🎉 at 9:30.", TEXT_B]
    encoder = HashingEncoder()
    together = encoder.encode(texts)
    encoder._MEMORY = 4  # forget the remembered trigrams at every batch
    one_by_one = np.vstack([encoder.encode([t]) for t in texts])
    want = np.vstack([by_definition(t) for t in texts])
    assert np.array_equal(together, one_by_one)
    assert np.allclose(together, want, atol=1e-6)
    assert not together[1].any() and together[2].any()  # no trigram in "  ": a zero row; " a " has one
    assert np.isclose(np.linalg.norm(together[4]), 1.0)
