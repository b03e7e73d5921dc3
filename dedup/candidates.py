"""Candidate pairs for alignment: MinHash LSH plus embedding neighbours.

Recall comes from three sub-quadratic searches, each bounded per document:

1. MinHash LSH over word shingles finds verbatim and lightly edited copies
   (banding with datasketch's parameters, done on the signature array);
2. nearest documents by mean sentence embedding (faiss; exact below
   ``_EXACT_LIMIT`` vectors, HNSW above) finds whole-text paraphrases;
3. nearest *sentences* finds articles that share a single paraphrased or
   translated passage, which document vectors dilute (each distinct sentence
   text indexed once; exact below ``_EXACT_LIMIT`` vectors, above it
   inverted lists of 4-bit codes re-scored on half-precision rows, see
   :func:`_sentence_index`). Only the sentences of each article's lead
   (``passage_lead_sentences``) look for neighbours, among every sentence:
   a rewrite retells its source's lead, so the pair is found from the
   source's side at a fraction of the searches.

Only the pairs found here are aligned; the cap per document keeps the work
linear in corpus size. Pairs and their scores are kept as flat arrays
(:class:`Candidates`), not one Python object per pair, so memory stays small
at 10^5-10^6 documents.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .config import Config
from .encoders import UnitRows
from .progress import Progress, silent
from .text import shingles, words

_EXACT_LIMIT = 50_000
_SCHEME = "affine32"  # datasketch >= 2: bijective permutations, 32-bit values
_BATCH = 8192  # query rows per faiss search call
_SEED = 1234  # k-means and training samples of the approximate sentence search
_TRAIN_PER_LIST = 16  # k-means sample per inverted list
_KMEANS_ITERATIONS = 10
_COARSE_DIMS = 64  # dimensions in which a query's nearest inverted lists are found
_PROBE = 64  # inverted lists scanned per query, at least
_SCAN = 16_384  # codes scanned per query, at least (more lists where they are short, below ~10^6 vectors)
_REFINE = 4  # candidates re-scored on the caller's own rows, per neighbour asked for
_MINHASH, _EMBEDDING, _PASSAGE, _SHARED_LINK = 1, 2, 4, 8
NEIGHBOURHOOD = 10
"""Nearest other documents whose mean cosine measures how crowded a document's topic is."""
_SOURCES = ((_MINHASH, "minhash"), (_EMBEDDING, "embedding"), (_PASSAGE, "passage"), (_SHARED_LINK, "shared link"))


@dataclass
class CandidateScores:
    """Why a pair was proposed: the scores of each search that found it."""

    jaccard: float = 0.0
    doc_cosine: float = 0.0
    sentence_hits: int = 0
    best_sentence_cosine: float = 0.0
    found_by: tuple[str, ...] = ()


@dataclass
class Candidates:
    """Candidate pairs ``a[k] < b[k]``, sorted, with the scores of the searches that found them (flat arrays)."""

    a: np.ndarray
    b: np.ndarray
    jaccard: np.ndarray
    doc_cosine: np.ndarray
    sentence_hits: np.ndarray
    best_sentence_cosine: np.ndarray
    found: np.ndarray  # bit flags: 1 minhash, 2 embedding, 4 passage, 8 shared link
    neighbourhood: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    """Per document: mean cosine to its ``NEIGHBOURHOOD`` nearest other documents (how crowded its topic is)."""

    def __len__(self) -> int:
        return len(self.a)

    def scores(self, k: int) -> CandidateScores:
        """The scores of pair ``k`` as a :class:`CandidateScores` (what :func:`dedup.relate.relate` reads)."""
        flags = int(self.found[k])
        return CandidateScores(float(self.jaccard[k]), float(self.doc_cosine[k]), int(self.sentence_hits[k]),
                               float(self.best_sentence_cosine[k]),
                               tuple(name for bit, name in _SOURCES if flags & bit))

    def priority(self) -> np.ndarray:
        """Rank of every pair, used to cap candidates per document: the best of its three scores, plus 0.05
        per sentence hit (up to 10)."""
        best = np.maximum(np.maximum(self.jaccard, self.doc_cosine.astype(np.float64)),
                          self.best_sentence_cosine.astype(np.float64))
        return best + 0.05 * np.minimum(self.sentence_hits, 10)

    def take(self, keep: np.ndarray) -> "Candidates":
        """The pairs selected by index array or mask ``keep``."""
        return Candidates(self.a[keep], self.b[keep], self.jaccard[keep], self.doc_cosine[keep],
                          self.sentence_hits[keep], self.best_sentence_cosine[keep], self.found[keep],
                          self.neighbourhood)


def minhash_signatures(texts: Sequence[str], config: Config) -> np.ndarray:
    """MinHash signatures (N x num_perm, uint32) of word shingles, via datasketch."""
    from datasketch import MinHash

    out = np.zeros((len(texts), config.num_perm), dtype=np.uint32)
    sets = [[s.encode("utf-8") for s in shingles(words(t), config.shingle_size)] or [b""] for t in texts]
    for row, m in enumerate(MinHash.bulk(sets, num_perm=config.num_perm, seed=1, scheme=_SCHEME)):
        out[row] = m.hashvalues
    return out


def lsh_pairs(signatures: np.ndarray, config: Config) -> np.ndarray:
    """Keys ``i * N + j`` (i < j, sorted, unique) of pairs sharing at least one LSH band.

    Same bands and rows as datasketch's ``MinHashLSH(threshold, num_perm)``
    and the same pairs it returns, but grouped by sorting the signature
    columns instead of one Python dict per band.
    """
    from datasketch.lsh import _optimal_param

    n = len(signatures)
    bands, rows = _optimal_param(config.lsh_threshold, config.num_perm, 0.5, 0.5)
    keys = []
    for band in range(bands):
        keys.append(_pairs_in_groups(_band_key(signatures[:, band * rows: (band + 1) * rows]), n,
                                     config.max_candidates_per_doc))
    return np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)


def _band_key(block: np.ndarray) -> np.ndarray:
    """One value per row of a band of signatures, equal where the rows are equal: the row's values packed into
    one 64-bit integer where they fit (two 32-bit values: 8x faster than comparing rows), else the row's rank
    among the distinct rows."""
    if block.shape[1] * block.dtype.itemsize <= 8:
        key = np.zeros(len(block), dtype=np.uint64)
        for column in range(block.shape[1]):
            key = (key << np.uint64(8 * block.dtype.itemsize)) | block[:, column].astype(np.uint64)
        return key
    return np.unique(np.ascontiguousarray(block), axis=0, return_inverse=True)[1].ravel()


def _pairs_in_groups(group: np.ndarray, n: int, cap: int) -> np.ndarray:
    """Keys ``i * n + j`` (i < j) of pairs of rows with the same group id.

    A group of up to ``cap + 1`` rows gives all its pairs. A larger one (a
    story syndicated by hundreds of outlets fills one bucket) gives each row
    its ``cap`` nearest rows around it in a ring: enough links for
    families (which average over the pairs a document can have compared),
    and a number of pairs linear in the group's size, not quadratic.
    """
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    reach = max(1, (cap + 1) // 2)
    out = []
    for size in np.unique(sizes[sizes > 1]):
        first = starts[sizes == size]
        members = order[first[:, None] + np.arange(size)[None, :]]  # groups x size
        if size <= cap + 1:
            ii, jj = np.triu_indices(size, 1)
        else:
            ii = np.repeat(np.arange(size), reach)
            jj = (ii + np.tile(np.arange(1, reach + 1), size)) % size
        lo = np.minimum(members[:, ii], members[:, jj]).astype(np.int64)
        hi = np.maximum(members[:, ii], members[:, jj]).astype(np.int64)
        out.append(np.unique(lo * n + hi))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _index(dim: int, n: int, sentences: bool):
    """A faiss inner-product index for document vectors: exact up to ``_EXACT_LIMIT`` vectors, HNSW above."""
    import faiss

    if n <= _EXACT_LIMIT:
        return faiss.IndexFlatIP(dim)
    index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 80
    return index


def _sample(n: int, size: int) -> np.ndarray:
    """A fixed random choice of ``size`` of ``n`` rows, in order (the same every run)."""
    return np.sort(np.random.default_rng(_SEED).choice(n, size=min(size, n), replace=False))


def _sentence_index(part, n: int, dim: int):
    """Inverted lists of 4-bit product-quantised codes, each result re-scored on the caller's rows.

    ``part(rows)`` reads rows as float32. About ``4 * sqrt(n)`` lists:
    k-means centroids (seeded, on a fixed sample) in a ``_COARSE_DIMS``
    projection of the vectors (their top singular directions on the sample),
    where finding a query's nearest lists costs a small fraction of a
    full-width comparison. Each vector is stored as ``dim / 2`` sub-vectors
    of 4 bits, scanned with SIMD (faiss fast scan) in the nearest lists of a
    query (``_PROBE`` lists, or more to scan ``_SCAN`` codes where lists are
    short); :func:`nearest_neighbours` re-scores its best ``_REFINE * k`` on
    the caller's own rows (faiss's IndexRefine would keep a float16 copy of
    them: 2.4 GB at 10^5 articles), so the cosines returned are those of the
    exact search. The same neighbours every run: seeded k-means on a fixed
    sample, no graph built in parallel.

    Chosen by ``benchmarks/ann.py`` (benchmarks/RESULTS.md) on generated
    articles' sentences (``hash`` model; ``use`` at 120k), against exact
    search and the HNSW graph it replaced (float16, M=16, efConstruction=40,
    efSearch=64): better recall in 0.5-0.9 of the time at 120k-2.4M vectors.
    Neither comes near exact recall at 2.4M (10^5 articles): inverted lists
    and graphs both miss neighbours in crowds of near-equal sentences.
    """
    import faiss

    metric = faiss.METRIC_INNER_PRODUCT
    nlist = max(1, int(4 * np.sqrt(n)))
    sample = part(_sample(n, nlist * _TRAIN_PER_LIST))
    low = min(dim, _COARSE_DIMS)
    _, directions = np.linalg.eigh((sample.T @ sample).astype(np.float64))
    basis = np.ascontiguousarray(directions[:, ::-1][:, :low].T, dtype=np.float32)  # low x dim, largest first
    project = faiss.LinearTransform(dim, low, False)
    faiss.copy_array_to_vector(basis.ravel(), project.A)
    project.is_trained = True
    kmeans = faiss.Kmeans(low, nlist, niter=_KMEANS_ITERATIONS, seed=_SEED,
                          max_points_per_centroid=_TRAIN_PER_LIST, min_points_per_centroid=1)
    kmeans.train(project.apply(sample))
    centroids = faiss.IndexFlatL2(low)
    centroids.add(kmeans.centroids)
    quantizer = faiss.IndexPreTransform(project, centroids)
    codes = faiss.IndexIVFPQFastScan(quantizer, dim, nlist, dim // 2 if dim % 2 == 0 else dim, 4, metric)
    codes.by_residual = False  # codes of the vectors themselves: their scores do not depend on the lists
    codes.nprobe = min(nlist, max(_PROBE, round(_SCAN * nlist / n)))
    codes.pq.cp.niter = _KMEANS_ITERATIONS
    codes.train(sample)  # the lists are set; this trains the product quantiser
    return codes


def nearest_neighbours(vectors: np.ndarray | UnitRows, k: int, rows: np.ndarray | None = None,
                       sentences: bool = False, queries: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Top-k inner-product neighbours of each row, itself included: exact up to ``_EXACT_LIMIT`` rows; above
    it, sentences by :func:`_sentence_index` and documents by HNSW.

    ``rows`` selects the rows to index and query (default all) without
    copying them out of ``vectors``; returned ids index into ``rows``.
    ``queries`` (positions in ``rows``, default all) are the rows searched for,
    one result row each.
    """
    import faiss

    rows = np.arange(len(vectors)) if rows is None else rows
    n, dim = len(rows), vectors.shape[1]
    k = min(k + 1, n)
    whole = len(rows) == len(vectors)

    def part(start: int) -> np.ndarray:
        chunk = vectors[start: start + _BATCH] if whole else vectors[rows[start: start + _BATCH]]
        return np.ascontiguousarray(chunk, dtype=np.float32)

    def some(chosen: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(vectors[rows[chosen]], dtype=np.float32)

    rescore = sentences and n > _EXACT_LIMIT
    if rescore:
        index = _sentence_index(some, n, dim)
    else:
        index = _index(dim, n, sentences)
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = max(64, 2 * k)
    # size the float32 copy of the graph once: grown batch by batch it doubles, and the copy briefly holds both;
    # shrinking keeps the capacity
    flat = getattr(index, "storage", None)
    if flat is not None:
        flat = faiss.downcast_index(flat)
        flat.codes.resize(n * flat.code_size)
        flat.codes.resize(0)
    for start in range(0, n, _BATCH):
        index.add(part(start))
    asked = np.arange(n) if queries is None else queries
    sims = np.empty((len(asked), k), dtype=np.float32)
    ids = np.empty((len(asked), k), dtype=np.int64)
    for start in range(0, len(asked), _BATCH):
        query = part(start) if queries is None else some(asked[start: start + _BATCH])
        s, i = index.search(query, _REFINE * k if rescore else k)
        if rescore:
            s, i = _rescored(query, i, k, some)
        sims[start: start + len(s)] = s
        ids[start: start + len(i)] = i
    return sims, ids


def _rescored(query: np.ndarray, found: np.ndarray, k: int, some) -> tuple[np.ndarray, np.ndarray]:
    """The best ``k`` of each query's ``found`` rows (-1: none) by their exact inner product, read with
    ``some(rows)``; a missing neighbour is -1 with the lowest float, as faiss returns it."""
    sims = np.empty(found.shape, dtype=np.float32)
    for lo in range(0, len(found), 512):  # 512 x 44 rows of 512 floats at a time: ~46 MB
        block = found[lo: lo + 512]
        rows = some(np.clip(block, 0, None).ravel()).reshape(*block.shape, -1)
        sims[lo: lo + 512] = np.matmul(rows, query[lo: lo + 512, :, None])[..., 0]
    sims[found < 0] = np.finfo(np.float32).min
    order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(sims, order, 1), np.take_along_axis(found, order, 1)


def find_candidates(
    signatures: np.ndarray,
    doc_vectors: np.ndarray,
    sentence_vectors: UnitRows | np.ndarray,
    sentence_row: np.ndarray,
    sentence_doc: np.ndarray,
    config: Config,
    progress: Progress = silent,
    content: np.ndarray | None = None,
    printed: np.ndarray | None = None,
    language: np.ndarray | None = None,
) -> Candidates:
    """All candidate pairs (i < j) with the evidence of the searches that found them.

    ``sentence_vectors`` holds one row per distinct sentence text; sentence
    ``s`` (all documents' sentences in order) has text row ``sentence_row[s]``
    and belongs to document ``sentence_doc[s]``. ``content`` selects the
    sentences that take part in the passage search (default all; the first
    ``passage_lead_sentences`` of them in each document look for neighbours);
    ``printed`` how many documents each one stands for (default one each);
    ``language`` a code per document (default all one language).
    """
    n = len(signatures)
    with progress("candidates", 3) as task:
        minhash = lsh_pairs(signatures, config)
        task.advance()
        embedding, neighbourhood = _doc_hits(doc_vectors, n, config, printed, language)
        task.advance()
        taking = slice(None) if content is None else content
        owner = sentence_doc[taking]
        passage, hits, best = _sentence_hits(sentence_vectors, sentence_row[taking], owner, n, config,
                                             _leads(owner, config.passage_lead_sentences))
        task.advance()

    keys = np.unique(np.concatenate([minhash, embedding, passage]))
    found = np.zeros(len(keys), dtype=np.uint8)
    sentence_hits = np.zeros(len(keys), dtype=np.int32)
    best_cosine = np.zeros(len(keys), dtype=np.float32)
    found[np.searchsorted(keys, minhash)] |= _MINHASH
    found[np.searchsorted(keys, embedding)] |= _EMBEDDING
    at = np.searchsorted(keys, passage)
    found[at] |= _PASSAGE
    sentence_hits[at] = hits
    best_cosine[at] = best
    a, b = keys // max(n, 1), keys % max(n, 1)
    # what only led here goes before the cap is worked out (the peak of a run at 10^5 articles)
    del minhash, embedding, passage, hits, best, at, keys
    jaccard, doc_cosine = _pair_scores(a, b, signatures, doc_vectors)
    found_all = Candidates(a, b, jaccard, doc_cosine, sentence_hits, best_cosine, found, neighbourhood)
    return found_all.take(_top_per_document(a, b, found_all.priority(), config.max_candidates_per_doc))


def _pair_scores(a: np.ndarray, b: np.ndarray, signatures: np.ndarray,
                 doc_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MinHash Jaccard estimate and document cosine of pairs ``(a[k], b[k])``."""
    jaccard = np.zeros(len(a), dtype=np.float64)
    doc_cosine = np.zeros(len(a), dtype=np.float32)
    for start in range(0, len(a), 8192):  # 8,192 pairs' two vectors at a time: 34 MB, not 270
        sl = slice(start, start + 8192)
        jaccard[sl] = (signatures[a[sl]] == signatures[b[sl]]).mean(axis=1)
        doc_cosine[sl] = np.einsum("ij,ij->i", doc_vectors[a[sl]], doc_vectors[b[sl]])
    return jaccard, doc_cosine


def shared_link_candidates(links: np.ndarray, compared: Candidates, signatures: np.ndarray,
                           doc_vectors: np.ndarray, per_doc: int) -> Candidates:
    """Pairs not yet ``compared`` whose two documents are both linked to a third: a second round of candidates.

    On a crowded topic a translation or a loose rewrite can miss some of its
    story's articles: the searches rank same-language articles on the topic
    above it. It still matches some of them, and those match the rest. So
    each document's ``per_doc`` strongest ``links`` (rows ``(i, j,
    confidence)``, i < j, the pairs the first round found likely of one
    source) propose pairs among their other ends; a pair's strength is the
    weaker of its two links (through its strongest third document), and each
    document keeps its ``per_doc`` strongest proposals (a pair stays when
    either keeps it). Bounded by ``per_doc``² pairs per document.
    """
    n = len(signatures)
    i, j, confidence = links[:, 0].astype(np.int64), links[:, 1].astype(np.int64), links[:, 2]
    third, other, strength = np.r_[i, j], np.r_[j, i], np.r_[confidence, confidence]
    order = np.lexsort((other, -strength, third))  # each third document's links, strongest first
    third, other, strength = third[order], other[order], strength[order]
    keep = _rank_in_group(third) < per_doc
    third, other, strength = third[keep], other[keep], strength[keep]
    starts = _group_starts(third)
    ends = np.r_[starts[1:], len(third)]
    pairs, strengths = [], []
    for start, end in zip(starts.tolist(), ends.tolist()):
        if end - start < 2:
            continue
        x, y = np.triu_indices(end - start, 1)
        u, v = other[start:end][x], other[start:end][y]
        pairs.append(np.minimum(u, v) * n + np.maximum(u, v))
        strengths.append(np.minimum(strength[start:end][x], strength[start:end][y]))
    key, score = np.concatenate([np.zeros(0, np.int64), *pairs]), np.concatenate([np.zeros(0), *strengths])
    known = compared.a.astype(np.int64) * n + compared.b  # sorted, as candidates are: searched, not re-sorted
    at = np.minimum(np.searchsorted(known, key), max(len(known) - 1, 0))
    fresh = known[at] != key if len(known) else np.ones(len(key), dtype=bool)
    key, score = key[fresh], score[fresh]
    if not len(key):
        return compared.take(np.zeros(0, dtype=np.int64))
    order = np.lexsort((-score, key))  # each pair once, through its strongest third document
    key, score = key[order], score[order]
    first = _group_starts(key)
    key, score = key[first], score[first]
    a, b = key // n, key % n
    chosen = _top_per_document(a, b, score, per_doc)
    a, b = a[chosen], b[chosen]
    jaccard, doc_cosine = _pair_scores(a, b, signatures, doc_vectors)
    return Candidates(a, b, jaccard, doc_cosine, np.zeros(len(a), np.int32), np.zeros(len(a), np.float32),
                      np.full(len(a), _SHARED_LINK, np.uint8), compared.neighbourhood)


def _doc_hits(doc_vectors: np.ndarray, n: int, config: Config, printed: np.ndarray | None = None,
              language: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Keys of document pairs that are near neighbours, and each document's neighbourhood.

    The neighbourhood is the mean cosine to the ``NEIGHBOURHOOD`` nearest
    other documents: on a crowded topic every article is close to many
    others, so closeness says less there (the judge reads the difference).
    ``printed`` counts the copies each text stands for: a text's own copies
    are its nearest neighbours (cosine 1), and a neighbour printed k times
    counts k times. ``language`` (a code per document): a neighbour in
    another language counts ``cross_language_offset`` closer, as the judge
    reads a translation's own cosine, so that a translation is measured
    against the topic's articles on one scale (USE puts same-language
    articles on a topic closer than a translation of one of them).
    """
    if not len(doc_vectors) or (n < 2 and (printed is None or printed.sum() < 2)):
        return np.zeros(0, dtype=np.int64), np.zeros(n, dtype=np.float32)
    sims, ids = nearest_neighbours(doc_vectors, max(config.doc_neighbours, NEIGHBOURHOOD))
    src = np.repeat(np.arange(n, dtype=np.int64)[:, None], ids.shape[1], axis=1)
    other = (ids >= 0) & (ids != src)
    times = np.ones(n, dtype=np.int64) if printed is None else printed.astype(np.int64)
    like = sims.astype(np.float64)
    if language is not None:
        like = like + config.cross_language_offset * (language[src] != language[np.clip(ids, 0, None)])
    near = np.where(other, like, -2.0)  # below any cosine; never taken (count 0)
    count = np.where(other, times[np.clip(ids, 0, None)], 0)
    order = np.argsort(-near, axis=1, kind="stable")
    near, count = np.take_along_axis(near, order, 1), np.take_along_axis(count, order, 1)
    near, count = np.c_[np.ones(n), near], np.c_[times - 1, count]  # its own copies first
    take = np.clip(NEIGHBOURHOOD - (np.cumsum(count, axis=1) - count), 0, count)
    taken = take.sum(axis=1)
    neighbourhood = (np.where(take > 0, take * near, 0.0).sum(axis=1) / np.maximum(taken, 1)).astype(np.float32)
    keep = other & (np.arange(ids.shape[1])[None, :] <= config.doc_neighbours) & (sims >= config.doc_min_sim)
    lo, hi = np.minimum(src[keep], ids[keep]), np.maximum(src[keep], ids[keep])
    return np.unique(lo * n + hi), neighbourhood


def _leads(sentence_doc: np.ndarray, k: int) -> np.ndarray | None:
    """Which sentences (grouped by document, in order) are among the first ``k`` of their document (None: all,
    when ``k`` is 0)."""
    if not k or not len(sentence_doc):
        return None
    return _rank_in_group(sentence_doc) < k


def _group_starts(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal ``keys`` (sorted, or at least grouped) starts; none for no keys."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])[:len(keys)]


def _rank_in_group(keys: np.ndarray) -> np.ndarray:
    """Each entry's position among the entries with its key (``keys`` sorted, or at least grouped)."""
    starts = _group_starts(keys)
    return np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))


def _sentence_hits(vectors: UnitRows | np.ndarray, sentence_row: np.ndarray, sentence_doc: np.ndarray, n_docs: int,
                   config: Config, query: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keys of document pairs whose sentences are near neighbours, with hit counts and best cosine.

    Each distinct text is indexed once, and looked up once if a sentence in
    ``query`` (default all) has it; its neighbour list is then read as
    sentences, copies of the nearest texts first (as a search over every
    sentence would list them), so each querying sentence's hits are those of
    its ``sentence_neighbours`` nearest sentences.
    """
    empty = np.zeros(0, dtype=np.int64)
    if len(sentence_row) < 2:
        return empty, empty.astype(np.int32), empty.astype(np.float32)
    texts, text_of = np.unique(sentence_row, return_inverse=True)
    text_of = text_of.ravel()
    asking = np.arange(len(sentence_row)) if query is None else np.flatnonzero(query)
    asked = np.unique(text_of[asking])
    sims, ids = nearest_neighbours(vectors, config.sentence_neighbours, texts, sentences=True,
                                   queries=None if len(asked) == len(texts) else asked)
    listed, listed_sims = _as_sentences(sims, ids, text_of, min(config.sentence_neighbours + 1, len(sentence_row)))
    del sims, ids
    # hits are counted chunk by chunk and the partial counts merged: the ~11 entries per sentence
    # (40M at 10^5 articles) never exist at once
    keys, counts, best = [], [], []
    for start in range(0, len(asking), 65536):
        mine = asking[start: start + 65536]
        chunk = np.searchsorted(asked, text_of[mine])
        s, i = listed_sims[chunk], listed[chunk]
        src = np.repeat(sentence_doc[mine, None], i.shape[1], axis=1)
        dst = np.where(i >= 0, sentence_doc[np.clip(i, 0, None)], -1)
        keep = (i >= 0) & (s >= config.neighbour_min_sim) & (dst != src)
        lo = np.minimum(src[keep], dst[keep]).astype(np.int64)
        hi = np.maximum(src[keep], dst[keep]).astype(np.int64)
        part, inverse, count = np.unique(lo * n_docs + hi, return_inverse=True, return_counts=True)
        top = np.full(len(part), -1.0, dtype=np.float32)
        np.maximum.at(top, inverse, s[keep])
        keys.append(part)
        counts.append(count)
        best.append(top)
    del listed, listed_sims
    all_keys = np.concatenate(keys)
    if not len(all_keys):
        return empty, empty.astype(np.int32), empty.astype(np.float32)
    unique, inverse = np.unique(all_keys, return_inverse=True)
    total = np.zeros(len(unique), dtype=np.int64)
    np.add.at(total, inverse, np.concatenate(counts))
    top = np.full(len(unique), -1.0, dtype=np.float32)
    np.maximum.at(top, inverse, np.concatenate(best))
    return unique, total.astype(np.int32), top


def _as_sentences(sims: np.ndarray, ids: np.ndarray, text_of: np.ndarray,
                  width: int) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour lists of distinct texts (``ids``, ``sims``) as lists of at most ``width`` sentences.

    ``text_of[s]`` is the text of sentence ``s`` (every text has one); a
    neighbour text stands for all its sentences (in order), cut off once the
    list is ``width`` long. Returns sentence ids (-1 padded) and their
    cosines, one row per row of ``ids`` (the texts looked up).
    """
    order = np.argsort(text_of, kind="stable")  # sentences grouped by text
    copies = np.bincount(text_of)
    first = np.cumsum(copies) - copies
    listed = np.full((len(ids), width), -1, dtype=np.int64)
    listed_sims = np.zeros((len(ids), width), dtype=np.float32)
    for lo in range(0, len(ids), 65536):  # in blocks of texts: the temporaries stay small
        block = np.clip(ids[lo: lo + 65536], 0, None)
        count = np.where(ids[lo: lo + 65536] >= 0, copies[block], 0)
        before = np.cumsum(count, axis=1) - count
        take = np.clip(width - before, 0, count)
        text, slot = np.nonzero(take)
        taken = take[text, slot]
        text, slot = np.repeat(text, taken), np.repeat(slot, taken)
        copy = np.arange(len(text)) - np.repeat(np.cumsum(taken) - taken, taken)
        pos = before[text, slot] + copy
        listed[lo + text, pos] = order[first[block[text, slot]] + copy]
        listed_sims[lo + text, pos] = sims[lo + text, slot]
    return listed, listed_sims


def _top_per_document(a: np.ndarray, b: np.ndarray, score: np.ndarray, cap: int) -> np.ndarray:
    """Indices (sorted) of the pairs ``(a[k], b[k])`` (sorted by pair) among the top ``cap`` of either document.

    Within a document, pairs rank by ``score`` (:meth:`Candidates.priority` for the searches' candidates), ties
    by pair.
    """
    m = len(a)
    if not m:
        return np.zeros(0, dtype=np.int64)
    small = np.int32 if max(m, int(b.max()) + 1) < 2**31 else np.int64  # half the memory of the 2m entries
    doc = np.concatenate([a, b]).astype(small)
    neg = -np.concatenate([score] * 2)
    pair = np.concatenate([np.arange(m, dtype=small)] * 2)  # pairs are sorted by key: the index orders like it
    order = np.lexsort((pair, neg, doc))
    del neg
    return np.unique(pair[order][_rank_in_group(doc[order]) < cap])
