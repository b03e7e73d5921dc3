"""Passage alignment of two texts: which sentences say the same thing, and where.

One module per job:

- :mod:`~dedup.align.profile` — a text's sentences with their numbers and names
  (:class:`TextProfile`), and rarity weights of anchors and words;
- :mod:`~dedup.align.scoring` — every sentence pair scored lexically and
  semantically (:func:`similarities`), with number agreement and the
  encoder's languages, then matched;
- :mod:`~dedup.align.passages` — the :class:`Alignment` record and passages
  (kind, offsets, coverage) built from aligned sentence pairs;
- :mod:`~dedup.align.news` — news alignment (:func:`align`) and
  :func:`align_texts` for two raw texts of any length;
- :mod:`~dedup.align.longdoc` — long documents (past ``long_text_chars``):
  seeding, extension and filtering, verbatim copies, a summary mode.
"""
from .news import align, align_scored, align_texts, embed_texts
from .passages import Alignment
from .profile import (TextProfile, anchor_weights, pair_anchor_weights, pair_word_weights, profile, reshared,
                      word_weights)
from .scoring import Similarities, reads_neither, similarities

__all__ = [
    "Alignment",
    "Similarities",
    "TextProfile",
    "align",
    "align_scored",
    "align_texts",
    "anchor_weights",
    "embed_texts",
    "pair_anchor_weights",
    "pair_word_weights",
    "profile",
    "reshared",
    "reads_neither",
    "similarities",
    "word_weights",
]
