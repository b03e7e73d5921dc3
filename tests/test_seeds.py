"""The five real seed articles the project was created from (../shared/data/seeds)."""
from __future__ import annotations

import pytest

from dedup import Dedup, load_documents


@pytest.fixture(scope="module")
def seeds(shared_data, use_encoder):
    docs, _ = load_documents([shared_data / "seeds"])
    results = Dedup(encoder=use_encoder).cluster(docs)
    return results, {d.id: d.text for d in docs}


def test_shoigu_rewrites_form_one_family(seeds):
    results, _ = seeds
    by_id = {d.id: d for d in results.documents}
    assert by_id["000"].family is not None
    assert by_id["000"].family == by_id["001"].family


def test_rudenko_interfax_story_is_in_no_family_with_the_others(seeds):
    results, _ = seeds
    by_id = {d.id: d for d in results.documents}
    others = {by_id[i].family for i in ("000", "001", "003", "004")} - {None}
    assert by_id["002"].family is None or by_id["002"].family not in others


def test_khinshtein_and_kcna_articles_are_linked_by_the_regiment_passages(seeds):
    results, texts = seeds
    pair = results.pair("003", "004")  # seen from 003: side b is 004
    assert pair is not None and pair.passages and (pair.a, pair.b) == ("003", "004")
    shared_004 = " ".join(texts["004"][p.b_start:p.b_end] for p in pair.passages)
    assert "training" in shared_004 and "Ministry of Defense" in shared_004


def test_shoigu_pair_evidence_has_the_figures(seeds):
    results, texts = seeds
    pair = results.pair("000", "001")  # seen from 000: side b is 001
    assert pair.relation in {"rewrite", "near-duplicate", "duplicate"} and (pair.a, pair.b) == ("000", "001")
    shared_001 = " ".join(texts["001"][p.b_start:p.b_end] for p in pair.passages)
    assert "1,000" in shared_001
