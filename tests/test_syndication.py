"""A wire story syndicated by thousands of outlets: one family however many copies, memory linear in them."""
from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np

from dedup import Dedup, Document
from dedup.candidates import _pairs_in_groups

WIRE = ("MOSCOW, May 3. /TASS/. Russia's central bank raised its key rate to 16.5% on Friday, the third increase "
        "this year, citing inflation of 7.4% in April. Governor Elvira Nabiullina said the regulator would keep "
        "policy tight until price growth slows towards the 4% target. The rouble strengthened 0.8% against the "
        "dollar after the announcement. Analysts polled by Interfax had expected a smaller increase of 50 basis "
        "points. The next board meeting on rates is scheduled for June 14, the bank said in a statement.")
SWAPS = {"raised": "lifted", "increase": "hike", "said": "stated", "strengthened": "firmed", "expected": "forecast",
         "smaller": "lesser", "scheduled": "planned", "regulator": "central bank", "Analysts": "Economists"}


def _outlets(n: int, rewrite: bool, seed: int = 5) -> list[Document]:
    """The wire and ``n`` republications over the next five days: verbatim, or each lightly reworded."""
    rng = random.Random(seed)
    docs = [Document(id="wire", text=WIRE, date="2024-05-03")]
    for k in range(n):
        text = WIRE
        if rewrite:
            text = " ".join(SWAPS[w] if w in SWAPS and rng.random() < 0.3 else w for w in WIRE.split(" "))
            text += f" Reporting by desk {k}." if rng.random() < 0.5 else ""
        docs.append(Document(id=f"outlet-{k:04d}", text=text,
                             date=(date(2024, 5, 3) + timedelta(days=1 + k % 5)).isoformat()))
    return docs


def _one_family(results, n: int) -> None:
    assert len(results.documents) == n + 1
    assert [f.size for f in results.families] == [n + 1], [f.size for f in results.families][:5]
    family = results.families[0]
    assert family.origin == "wire" and all(d.family == family.id for d in results.documents)


def test_two_thousand_copies_are_one_family_with_their_evidence():
    results = Dedup(model="hash").cluster(_outlets(2000, rewrite=False))
    _one_family(results, 2000)
    # each copy is compared once, through the text's first copy, and keeps its evidence as a duplicate
    pair = results.pair("outlet-1234", "wire")
    assert pair is not None and pair.relation == "duplicate" and "same text" in pair.evidence["summary"]
    assert results.run["counts"]["same_text_copies"] == 2000  # one text aligned, 2,000 copies follow it
    assert len(results.pairs) == 2000


def test_two_thousand_light_rewrites_are_one_family():
    results = Dedup(model="hash").cluster(_outlets(2000, rewrite=True))
    _one_family(results, 2000)


def test_a_full_lsh_bucket_gives_pairs_linear_in_its_size():
    for size in (50, 500, 5000):
        keys = _pairs_in_groups(np.zeros(size, dtype=np.int64), size, cap=40)
        assert len(keys) <= 20 * size  # every row with its 40 ring neighbours, not size² / 2 pairs
        linked = np.bincount(np.r_[keys // size, keys % size], minlength=size)
        assert linked.min() >= min(40, size - 1)
