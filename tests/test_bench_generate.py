"""The scale corpus generator: deterministic per seed, labels consistent with the articles."""
from __future__ import annotations

import json
from collections import Counter, defaultdict

from benchmarks.generate import generate, main


def test_same_seed_same_corpus_other_seed_other_corpus():
    assert generate(60, seed=5) == generate(60, seed=5)
    assert [r["text"] for r in generate(60, seed=5)] != [r["text"] for r in generate(60, seed=6)]


def test_labels_match_the_articles():
    records = generate(200, seed=1)
    assert len(records) == 200 and len({r["id"] for r in records}) == 200
    by_cluster = defaultdict(list)
    for r in records:
        by_cluster[r["cluster"]].append(r)
    roles = Counter(r["role"] for r in records)
    assert roles["source"] and roles["rewrite"] and roles["distractor"]
    for cluster, members in by_cluster.items():
        kinds = Counter(m["role"] for m in members)
        if cluster.startswith("distractor-"):
            assert kinds == {"distractor": 1}
        else:
            assert kinds["source"] <= 1 and "distractor" not in kinds
            source = [m for m in members if m["role"] == "source"]
            if source:  # the source is dated before its rewrites, and rewrites keep its names
                assert all(m["date"] > source[0]["date"] for m in members if m["role"] == "rewrite")
                for m in members:
                    assert len(_capitalised(source[0]["text"]) & _capitalised(m["text"])) >= 3


def _capitalised(text: str) -> set[str]:
    return {w.strip('.,"') for w in text.split() if w[:1].isupper()}


def test_articles_are_news_sized():
    records = generate(100, seed=2)
    words = [len(r["text"].split()) for r in records]
    assert 350 <= sum(words) / len(words) <= 650
    assert sum('"' in r["text"] for r in records) > 50  # quotes
    assert all(any(ch.isdigit() for ch in r["text"]) for r in records)  # numbers


def test_cli_writes_jsonl(tmp_path):
    out = tmp_path / "gen.jsonl"
    assert main(["12", "--seed", "3", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == generate(12, seed=3)
