"""Peer baselines: text-dedup-style MinHash, exact hash, thresholded document cosine."""
from __future__ import annotations

import numpy as np

from benchmarks.baselines import (
    MinHashSetting,
    exact_hash,
    linked_groups,
    text_dedup_minhash,
    text_dedup_permutations,
    text_dedup_tokens,
    threshold_components,
)

STORY = ("The central bank raised its key rate to 9.25 percent on Friday, citing inflation of 10.8 percent in "
         "January. Governor Mira Halden told reporters in Lenz that the bank would act again if prices kept rising. "
         "Six of the seven board members backed the decision, and markets had expected a smaller move.")
OTHER = ("Heavy rain flooded the lower town of Drevin overnight, forcing two hundred families from their homes. "
         "Volunteers filled sandbags along the river while the mayor asked for help from the army.")
THIRD = ("The national football team lost its qualifier away from home, and the coach said young players needed "
         "more time before the tournament begins next summer in the capital.")


def test_tokens_follow_text_dedup():
    # text-dedup splits the lower-cased text on \W (keeping empty tokens) and joins n-grams with spaces
    assert text_dedup_tokens("Hello, World foo bar", 2, 1) == {b"hello ", b" world", b"world foo", b"foo bar"}
    assert text_dedup_tokens("too short", 2, 5) == set()
    a, b = text_dedup_permutations(MinHashSetting())
    assert a.dtype == np.uint64 and len(a) == len(b) == 256 and a.min() >= 1


def test_minhash_groups_copies_and_separates_unrelated_texts():
    texts = [STORY, OTHER, "BREAKING: " + STORY, THIRD, STORY.replace("Friday", "Thursday")]
    groups = text_dedup_minhash(texts)
    assert groups[0] == groups[2] == groups[4]
    assert len({groups[0], groups[1], groups[3]}) == 3


def test_minhash_keeps_too_short_texts_as_singletons():
    groups = text_dedup_minhash(["one two", "one two", STORY])
    assert len(set(groups)) == 3


def test_exact_hash_ignores_whitespace_only():
    groups = exact_hash([STORY, "  " + STORY.replace(" ", "\n", 3), STORY.lower()])
    assert groups[0] == groups[1] != groups[2]


def test_linked_groups_and_threshold_components():
    assert linked_groups(5, [(0, 3), (3, 4)]) == [0, 1, 2, 0, 0]
    assert linked_groups(5, [(4, 2), (2, 3), (1, 4)]) == [0, 1, 1, 1, 1]  # each group named by its smallest index
    assert linked_groups(0, []) == []
    vectors = np.array([[1, 0], [0.96, 0.28], [0, 1]], dtype=np.float32)
    assert threshold_components(vectors, 0.9) == [0, 0, 1]
    assert len(set(threshold_components(vectors, 0.99))) == 3
