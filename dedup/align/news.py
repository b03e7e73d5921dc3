"""News alignment: matched sentences in runs become passages; :func:`align_texts` aligns two raw texts of any length.

Adjacent sentence matches (at most ``max_gap`` sentences apart) merge into
passages with character offsets into both texts. :func:`align_texts` sends
pairs past ``long_text_chars`` to the long-document aligner
(:mod:`dedup.align.longdoc`) instead, so an obfuscated or summarised passage
comes out as one passage, not many.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from ..config import Config
from ..encoders import Encoder, encoder_languages
from ..records import Match, Passage
from .longdoc import align_long
from .passages import Alignment, covered, passage, sentence_matches
from .profile import TextProfile, pair_anchor_weights, pair_word_weights, profile
from .scoring import Similarities, matched, select, similarities


def align(a: TextProfile, va: np.ndarray, b: TextProfile, vb: np.ndarray, config: Config,
          text_a: str, text_b: str, weights: Mapping[str, float] | None = None,
          languages: frozenset[str] | None = None, word_weights: Mapping[str, float] | None = None) -> Alignment:
    """Align two profiled texts given their sentence vectors (rows of unit length).

    ``weights`` are corpus anchor weights (:func:`anchor_weights`); without
    them every shared number or name counts as specific. ``languages`` are
    those the encoder knows (None: all). ``word_weights``
    (:func:`word_weights`) let sentences match on shared rare words where the
    encoder knows neither language.
    """
    return align_scored(a, b, similarities(a, va, b, vb, config, languages, word_weights), config, text_a, text_b,
                        weights)


def align_scored(a: TextProfile, b: TextProfile, similar: Similarities, config: Config, text_a: str, text_b: str,
                 weights: Mapping[str, float] | None = None) -> Alignment:
    """:func:`align` two texts whose sentence pairs are already scored (``similar``: :func:`similarities`)."""
    score, sem, lex, (support_a, support_b), (best_a, best_b) = matched(a, b, similar, config, weights)
    pairs = select(score)
    matches = sentence_matches(pairs, (score, sem, lex))

    def passages() -> list[Passage]:
        runs: list[list[Match]] = []
        step = config.max_gap + 1
        for m in matches:
            run = runs[-1] if runs else None
            if run and 0 <= m.a - run[-1].a <= step and -1 <= m.b - max(x.b for x in run) <= step:
                run.append(m)
            else:
                runs.append([m])
        return [passage(a, b, run, (run[0].a, run[-1].a), (min(x.b for x in run), max(x.b for x in run)), text_a,
                        text_b, config) for run in runs]

    set_a = {i for i, _ in pairs}
    set_b = {j for _, j in pairs}
    cov_a, content_a = covered(a, set_a, config.min_sentence_chars)
    cov_b, content_b = covered(b, set_b, config.min_sentence_chars)
    return Alignment(matches, min(cov_a, 1.0), min(cov_b, 1.0), len(set_a), len(set_b), content_a, content_b,
                     round(support_a, 4), round(support_b, 4), best_a, best_b, make_passages=passages)


def embed_texts(text_a: str, text_b: str, encoder: Encoder) -> tuple[TextProfile, np.ndarray, TextProfile, np.ndarray]:
    """Profile two raw texts and embed their sentences (one encoder call)."""
    pa, pb = profile(text_a), profile(text_b)
    vectors = encoder.encode([s.text for s in pa.sentences] + [s.text for s in pb.sentences])
    n = len(pa.sentences)
    return pa, vectors[:n], pb, vectors[n:]


def align_texts(text_a: str, text_b: str, encoder: Encoder, config: Config | None = None,
                embedded: tuple[TextProfile, np.ndarray, TextProfile, np.ndarray] | None = None) -> Alignment:
    """Profile, embed and align two raw texts of any length (no corpus needed).

    News-length pairs (both under ``long_text_chars``) are aligned as by
    :func:`align`: matched sentences in runs with at most ``max_gap`` between.
    Longer pairs go through seeding, extension and filtering: sentence pairs
    seed passages, seeds within ``passage_gap`` sentences of each other on
    both sides merge while the merged fragments stay alike, short passages
    need a close match, and a compact passage matched all over the other
    text is taken as a summary of that whole text. ``embedded``: the texts
    already profiled and embedded by :func:`embed_texts`.
    """
    config = config or Config()
    pa, va, pb, vb = embedded or embed_texts(text_a, text_b, encoder)
    languages = encoder_languages(encoder)
    if max(len(text_a), len(text_b)) < config.long_text_chars:
        return align(pa, va, pb, vb, config, text_a, text_b, pair_anchor_weights(pa, pb), languages,
                     pair_word_weights(pa, pb))
    return align_long(pa, va, pb, vb, config, text_a, text_b, languages)
