"""The facade: documents in, families with evidence out.

``Dedup(config, model).cluster(documents)`` runs every stage batch-wise:
profile texts -> embed each distinct sentence once -> MinHash signatures ->
candidate pairs -> align each candidate -> relate -> families -> records.
"""
from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import queue
import time
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

import numpy as np
from threadpoolctl import threadpool_limits

from . import __version__
from .align import TextProfile, align_scored, anchor_weights, profile, reshared, similarities, word_weights
from .candidates import Candidates, find_candidates, minhash_signatures, shared_link_candidates
from .config import Config, ConfigError
from .documents import Document, InputError, Skipped, documents_from_records
from .encoders import Encoder, UnitRows, encoder_languages, load_encoder
from .families import (build_families, core_and_related, credited_agencies, keep_or_drop, numbered_by,
                       same_text)
from .progress import Progress, silent
from .judge import Article, Judge, load_judge, word_vector
from .records import LINKS, NONE, RELATED, AlsoLink, DocumentRecord, Offsets, PairRecord
from .relate import decide, judge_texts, relate, same_text_pair, summarise, worth_aligning, worth_matching
from .results import PairRecords, Results, encode_pair
from .text import split_sentences


_Run = TypeVar("_Run", bound=Callable[..., Any])


def _without_cycle_collection(run: _Run) -> _Run:
    """Run with Python's cyclic garbage collector paused (restored after).

    A run builds millions of long-lived objects (sentences, profiles, pair
    records) and next to no reference cycles (about 150 unreachable objects
    after 3,000 articles). Each full collection scans every one of them, so
    collections grow faster than the corpus (profiling 100k texts: 129 s
    with them, 94 s without), and in a forked worker they write to every
    object's header, copying the pages it shares with its parent.
    """
    @functools.wraps(run)
    def paused(*args: Any, **kwargs: Any) -> Any:
        was = gc.isenabled()
        gc.disable()
        try:
            return run(*args, **kwargs)
        finally:
            if was:
                gc.enable()
    return paused  # type: ignore[return-value]


class Dedup:
    """Cluster articles into rewrite families; every result carries its evidence."""

    def __init__(self, config: Config | None = None, model: str = "use", encoder: Encoder | None = None,
                 workers: int | None = None) -> None:
        """``workers``: processes that profile the texts, sign them (MinHash), align candidate pairs, and
        embed sentences with an encoder that runs in several (None: one per core this process may use, when
        there is enough work to pay for the fork); the results are the same, byte for byte, whatever the
        number."""
        if workers is not None and (type(workers) is not int or workers < 1):
            raise ValueError(f"workers must be a whole number >= 1, got {workers!r}")
        self.config = config or Config()
        self.model = encoder.name if encoder is not None else model
        self._encoder = encoder
        self.workers = workers

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder, loaded on first use."""
        if self._encoder is None:
            self._encoder = load_encoder(self.model)
        return self._encoder

    def embed(self, profiles: Sequence[TextProfile], progress: Progress = silent) -> tuple[UnitRows, np.ndarray]:
        """Vectors of the distinct sentence texts, and each sentence's row among them (documents in order).

        Syndicated copies repeat sentences verbatim, so each text is encoded
        and stored once, as int8 codes (:class:`UnitRows`).
        """
        rows: dict[str, int] = {}
        sentence_row = np.fromiter((rows.setdefault(text, len(rows)) for p in profiles for text in p.sentences.texts()),
                                   dtype=np.int64)
        texts = list(rows)
        del rows
        vectors = UnitRows(0, 1)
        with progress("embedding", len(texts)) as task:
            for start, part in _encoded(self.encoder, texts, self.workers):
                if not start:  # one preallocated array: no list of chunks stacked (twice the memory) at the end
                    vectors = UnitRows(len(texts), part.shape[1])
                vectors.put(start, part)
                task.advance(len(part))
        return vectors, sentence_row

    @_without_cycle_collection
    def cluster(self, documents: Sequence[Document], skipped: Sequence[Skipped] = (),
                progress: Progress = silent) -> Results:
        """Run all stages on ``documents`` and return the result records."""
        started = time.perf_counter()
        cfg = self.config
        every = list(documents)
        _check_unique(every)
        # each distinct text goes through the stages once; its verbatim copies follow it (a wire story
        # republished 2,000 times is one text here, and 1,999 duplicate records at the end)
        stands_for = same_text(every)
        docs = [d for k, d in enumerate(every) if stands_for[k] == k]
        # corpus statistics count a text as often as it was printed, as if every copy had been compared
        position = {k: n for n, k in enumerate(k for k, first in enumerate(stands_for) if first == k)}
        printed = np.bincount([position[first] for first in stands_for], minlength=len(docs))
        with progress("sentences", len(docs)) as task:
            profiles = _profiled([d.text for d in docs], self.workers, task.advance)
        vectors, sentence_row = self.embed(profiles, progress)
        offsets = np.cumsum([0] + [len(p.sentences) for p in profiles])
        content = np.concatenate([p.lengths >= cfg.min_sentence_chars for p in profiles]) if docs else np.zeros(0, bool)
        sentence_doc = np.repeat(np.arange(len(docs)), np.diff(offsets))
        doc_vectors = np.zeros((len(docs), vectors.shape[1]), dtype=np.float32)
        for k in range(len(docs)):
            rows = sentence_row[offsets[k]: offsets[k + 1]]
            mask = content[offsets[k]: offsets[k + 1]]
            chosen = rows[mask] if mask.any() else rows
            if len(chosen):
                v = vectors[chosen].mean(axis=0)
                doc_vectors[k] = v / (np.linalg.norm(v) or 1.0)
        signatures = _signed([d.text for d in docs], cfg, self.workers, progress)
        language = np.unique([p.language for p in profiles], return_inverse=True)[1] if profiles else None
        candidates = find_candidates(signatures, doc_vectors, vectors, sentence_row, sentence_doc, cfg, progress,
                                     content=None if content.all() else content, printed=printed,
                                     language=language)

        weights = anchor_weights(p for p, times in zip(profiles, printed.tolist()) for _ in range(times))
        languages = encoder_languages(self.encoder)
        # articles in languages the encoder cannot read are compared by their rare words instead
        unread = [languages is not None and p.language not in languages for p in profiles]
        words = word_weights(p for p, u, times in zip(profiles, unread, printed.tolist()) if u
                             for _ in range(times)) if any(unread) else {}
        articles = [Article.of(p, len(d.text), cfg.min_sentence_chars, d.day,
                               word_vector(d.text, words) if u else None, float(crowd))
                    for d, p, u, crowd in zip(docs, profiles, unread, candidates.neighbourhood)]
        aligner = _Aligner(docs, profiles, vectors, sentence_row, offsets, candidates, cfg, weights, languages,
                           words, unread, articles, load_judge(self.encoder.name))
        with progress("aligning", len(candidates)) as task:
            records = PairRecords.from_lines(aligner.run(self.workers, task.advance))
        scored, aligned = aligner.scored, aligner.aligned
        # a second round: pairs whose two documents both link to a third one
        second = shared_link_candidates(np.array(aligner.links, dtype=np.float64).reshape(-1, 3), candidates,
                                        signatures, doc_vectors, cfg.shared_link_neighbours)
        del signatures, doc_vectors
        if len(second):
            aligner.candidates = second
            with progress("shared links", len(second)) as task:
                records.extend_lines(aligner.run(self.workers, task.advance))
            scored, aligned = scored + aligner.scored, aligned + aligner.aligned
        counts = {"candidate_pairs": len(candidates) + len(second), "shared_link_pairs": len(second),
                  "scored_pairs": scored, "aligned_pairs": aligned, "sentences": int(len(sentence_row)),
                  "same_text_copies": len(every) - len(docs)}
        # Vectors and profiles are the bulk of the memory and the records need neither: what the records keep of
        # the profiles (sentence offsets, languages) is made once the vectors are gone, so the two never add up
        del aligner, vectors, sentence_row, candidates, second, weights, articles, words, content, sentence_doc
        sentences = {d.id: [(s.start, s.end) for s in p.sentences] for d, p in zip(docs, profiles)}
        found_languages = {d.id: p.language for d, p in zip(docs, profiles)}
        del profiles
        for k, first in enumerate(stands_for):
            if first != k:
                original, copy = every[first], every[k]
                sentences[copy.id] = sentences[original.id]
                found_languages[copy.id] = found_languages[original.id]
                records.append(same_text_pair(original.id, copy.id, len(copy.text), sentences[copy.id], cfg))
        return self._assemble(every, records, sentences, [s.to_dict() for s in skipped], counts, started, progress,
                              found_languages)

    def cluster_records(self, records: Iterable[Mapping[str, Any]] | Any, *, fields: Mapping[str, str] | None = None,
                        skip_invalid: bool = False, progress: Progress = silent) -> Results:
        """Cluster in-memory records: a list of dicts or a pandas DataFrame (one row per article).

        ``fields`` names the records' own fields for id, text, title, url,
        source and date (``{"id": "guid", "text": "body"}``); each record is
        checked as a JSONL line would be (:func:`dedup.documents.documents_from_records`).
        A DataFrame's missing values (NaN, None) count as absent.
        """
        if hasattr(records, "to_dict") and hasattr(records, "columns"):  # a pandas DataFrame
            records = [{k: v for k, v in row.items() if not _missing(v)} for row in records.to_dict("records")]
        docs, skipped = documents_from_records(records, skip_invalid, fields=fields)
        return self.cluster(docs, skipped, progress)

    def compare(self, a: Document, b: Document) -> tuple[PairRecord, DocumentRecord, DocumentRecord]:
        """Align and judge two documents without a corpus (``dedup diff a.txt b.txt``).

        The pair record is decided by the same judge and relation rules as a
        corpus run (:func:`dedup.relate.judge_texts`); the two document records
        carry their sentence offsets, as saved results do.
        """
        first, second = sorted((a, b), key=lambda d: (d.id, d.text))  # one side order, as in a corpus run
        pair = judge_texts(first, second, self.encoder, self.config).seen_from(a.id)
        doc_a, doc_b = (_document_record(d, [(s.start, s.end) for s in split_sentences(d.text)], None, False, [])
                        for d in (a, b))
        return pair, doc_a, doc_b

    @_without_cycle_collection
    def rethreshold(self, results: Results, progress: Progress = silent) -> Results:
        """Re-decide relations and families of saved results under this config.

        Uses only the saved evidence (the judge's confidence, coverage,
        passages, dates, sentence offsets), so no model is loaded and nothing
        is embedded or aligned again; changing alignment thresholds
        (``semantic_*``, ``lexical_*``) needs a new run, and pairs under the
        run's ``related_min_confidence`` were never saved: a lower value is a
        :class:`ConfigError`.
        """
        started = time.perf_counter()
        saved = results.run.get("config", {}).get("related_min_confidence", 0.0)
        if self.config.related_min_confidence < saved:
            raise ConfigError(f"related_min_confidence ({self.config.related_min_confidence:g}) is below the "
                              f"{saved:g} these results were saved with: the pairs under it were never saved; "
                              f"run `dedup cluster` again to keep them")
        docs = [_record_to_document(r) for r in results.documents]
        sentences = {r.id: r.sentences for r in results.documents}
        records = PairRecords(decide(p, self.config) for p in results.pairs
                              if p.confidence >= self.config.related_min_confidence)
        counts = {k: v for k, v in results.run.get("counts", {}).items()
                  if k in ("candidate_pairs", "shared_link_pairs", "scored_pairs", "aligned_pairs", "sentences",
                           "same_text_copies")}
        self.model = results.run.get("model", self.model)
        return self._assemble(docs, records, sentences, results.skipped, counts, started, progress)

    def _assemble(self, docs: list[Document], records: PairRecords, sentences: dict[str, list[Offsets]],
                  skipped: list[dict[str, Any]], counts: dict[str, int], started: float,
                  progress: Progress, languages: Mapping[str, str] | None = None) -> Results:
        """Families, their core passages, related groups, document records and run metadata from the pairs."""
        cfg = self.config
        with progress("families", 1) as task:
            # what family building reads of each pair (offsets, not aligned sentences), only while it runs
            pairs = list(records.offsets_only())
            before = [(p.relation, p.evidence.pop("overruled", None)) for p in pairs]
            families, family_of, also = build_families(docs, pairs, sentences, cfg)
            for k, (p, (relation, overruled)) in enumerate(zip(pairs, before)):
                if p.relation != relation or overruled or "overruled" in p.evidence:  # its families overrule it
                    record = records[k]
                    record.relation = p.relation
                    record.evidence.pop("overruled", None)
                    if "overruled" in p.evidence:
                        record.evidence["overruled"] = p.evidence["overruled"]
                    record.evidence["summary"] = summarise(p.relation, p.confidence, record.evidence,
                                                           cfg.link_confidence)
                    records[k] = record
            relations = [p.relation for p in pairs]
            decisions = keep_or_drop(docs, families, pairs, cfg, languages)
            needed = [k for k, p in enumerate(pairs) if numbered_by(p, family_of, cfg)]
            del pairs
            related = core_and_related(families, records.numbered(needed), {d.id: d.text for d in docs},
                                       sentences, {d.id: d.date for d in docs}, cfg)
            task.advance()
        origins = {f.origin for f in families}
        doc_records = [_document_record(d, sentences[d.id], family_of.get(d.id), d.id in origins, also.get(d.id, []),
                                        decisions[d.id]) for d in docs]
        run: dict[str, Any] = {
            "dedup_version": __version__,
            "model": self.model,
            "config": cfg.to_dict(),
            "counts": {
                "documents": len(docs),
                "skipped": len(skipped),
                "families": len(families),
                "in_families": sum(1 for r in doc_records if r.family),
                "singletons": sum(1 for r in doc_records if not r.family),
                "linked_pairs": sum(1 for r in relations if r in LINKS),
                "related_pairs": sum(1 for r in relations if r == RELATED),
                "related_groups": len(related),
                **counts,
            },
            "seconds": round(time.perf_counter() - started, 3),
        }
        return Results(documents=doc_records, families=families, pairs=records, related=related,
                       skipped=list(skipped), run=run)


class _Aligner:
    """Aligns and judges the candidate pairs of one run, in order, in this process or in forked workers.

    A worker inherits the run's profiles, vectors and weights from the fork
    (shared copy-on-write memory, nothing pickled per pair) and sends back
    only the JSON lines of the pairs that share passages, batch by batch in
    candidate order, so the records are the same whatever the number of
    workers.
    """

    _BATCH = 256  # candidate pairs per task at most: large enough to hide the hand-off, small enough to balance
    _MIN_PER_WORKER = 2048  # below this many pairs per worker, forking costs more than it saves

    def __init__(self, docs: list[Document], profiles: list[TextProfile], vectors: UnitRows,
                 sentence_row: np.ndarray, offsets: np.ndarray, candidates: Candidates, cfg: Config,
                 weights: Mapping[str, float], languages: frozenset[str] | None, words: Mapping[str, float],
                 unread: list[bool], articles: list[Article], judge: Judge) -> None:
        self.docs, self.profiles, self.vectors, self.sentence_row = docs, profiles, vectors, sentence_row
        self.offsets, self.candidates, self.cfg, self.weights = offsets, candidates, cfg, weights
        self.languages, self.words, self.unread, self.articles, self.judge = languages, words, unread, articles, judge
        # pairs of the last run whose sentences were scored, and those then aligned (the rest were settled by the
        # judge's ceiling: before scoring, or once their support was known), and its pairs likely of one source
        # (document indices and confidence, at family_anchor or more)
        self.scored = self.aligned = 0
        self.links: list[tuple[int, int, float]] = []

    def lines(self, start: int, end: int) -> tuple[list[bytes], tuple[int, int], list[tuple[int, int, float]]]:
        """The record lines of candidate pairs ``start``..``end`` that share passages, in order, how many
        pairs had their sentences scored and were aligned (the others cannot be saved, whatever their
        alignment: :func:`worth_aligning`, :func:`worth_matching`), and the pairs at ``family_anchor`` or more
        as ``(i, j, confidence)``, i < j."""
        docs, profiles, cfg, vectors = self.docs, self.profiles, self.cfg, self.vectors
        out: list[bytes] = []
        links: list[tuple[int, int, float]] = []
        aligned = 0
        last, va = -1, None
        pairs = []
        for k in range(start, end):
            i, j = int(self.candidates.a[k]), int(self.candidates.b[k])
            # alignment reads its two sides in order: the same document goes first whatever the input order
            x, y = (j, i) if docs[j].id < docs[i].id else (i, j)
            pairs.append((i, j, x, y, self.candidates.scores(k)))
        worth = worth_aligning([(self.articles[x], self.articles[y], scores) for _, _, x, y, scores in pairs],
                               self.weights, self.judge, self.languages, cfg.related_min_confidence,
                               cfg.cross_language_offset)
        scored = []
        for (i, j, x, y, scores), known in zip(pairs, worth):
            if known is None:  # settled: the judge's ceiling is under related_min_confidence
                continue
            if i != last:  # pairs come sorted by their first document: widen its vectors once
                last, va = i, vectors[self.sentence_row[self.offsets[i]: self.offsets[i + 1]]]
            vb = vectors[self.sentence_row[self.offsets[j]: self.offsets[j + 1]]]
            vx, vy = (vb, va) if x == j else (va, vb)
            words = self.words if self.unread[x] and self.unread[y] else None
            scored.append((x, y, scores, known, similarities(profiles[x], vx, profiles[y], vy, cfg, self.languages,
                                                             words)))
        # the judge's ceiling again, now that each pair's support is known (it settles two thirds of the scored
        # pairs on generated news)
        go = worth_matching([(self.articles[x], self.articles[y], known, similar)
                             for x, y, _, known, similar in scored], self.weights, self.judge,
                            cfg.related_min_confidence)
        for (x, y, scores, known, similar), matching in zip(scored, go):
            if not matching:
                continue
            aligned += 1
            al = align_scored(profiles[x], profiles[y], similar, cfg, docs[x].text, docs[y].text, self.weights)
            if not al.matches:  # nothing shared: no record, whatever the judge would say (relate.decide)
                continue
            ev = relate(docs[x].id, docs[y].id, al, scores, cfg, self.articles[x], self.articles[y], self.weights,
                        self.judge, self.languages, cfg.related_min_confidence, known)
            if ev is not None and ev.relation != NONE:
                out.append(encode_pair(ev))
                if ev.confidence >= cfg.family_anchor:
                    links.append((min(x, y), max(x, y), ev.confidence))
        return out, (len(scored), aligned), links

    def run(self, workers: int | None, advance: Callable[[int], Any]) -> Iterator[bytes]:
        """Every record line in candidate order, aligned by ``workers`` processes (None: see
        :class:`Dedup`); ``advance(n)`` after each batch of ``n`` pairs. Counts the pairs scored and aligned
        in ``self.scored`` and ``self.aligned``, and keeps the likely ones in ``self.links``."""
        n = len(self.candidates)
        workers = _processes(workers, n, self._MIN_PER_WORKER)
        size = max(1, min(self._BATCH, -(-n // (4 * max(workers, 1)))))  # a few batches per worker at least
        batches = [(start, min(start + size, n)) for start in range(0, n, size)]
        self.scored = self.aligned = 0
        self.links = []
        # Each alignment multiplies two small matrices: a second BLAS thread only adds hand-off cost
        # (twice the CPU time, and far slower when other processes share the cores).
        with threadpool_limits(1, user_api="blas"):
            yield from self._counted(batches, _forked(lambda bounds: self.lines(*bounds), batches, workers), advance)

    def _counted(self, batches: list[tuple[int, int]],
                 done: Iterable[tuple[list[bytes], tuple[int, int], list[tuple[int, int, float]]]],
                 advance: Callable[[int], Any]) -> Iterator[bytes]:
        """The lines of each batch done, in order, adding up the pairs scored and aligned and the links."""
        for (start, end), (lines, (scored, aligned), links) in zip(batches, done):
            self.scored += scored
            self.aligned += aligned
            self.links += links
            yield from lines
            advance(end - start)


_Item = TypeVar("_Item")
_Done = TypeVar("_Done")
_TASK: Callable[[Any], Any] | None = None
"""The task of the stage running in forked workers (set only while it runs)."""


def _forked(task: Callable[[_Item], _Done], items: Sequence[_Item], processes: int) -> Iterator[_Done]:
    """``task(item)`` of each item, in order: in this process alone, or in it and ``processes - 1`` forked ones.

    Every process takes the next item nobody has taken, so the work balances
    itself, and this process, which would otherwise only wait, does its
    share: one process fewer holds copies of the pages its reads touch
    (the workers inherit ``task`` and all it reads from the fork,
    copy-on-write). Only results cross between processes; they come out in
    the items' order, each the same whichever process made it.
    """
    if processes < 2:
        yield from map(task, items)
        return
    global _TASK
    _TASK = task
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # how many items processes have taken (the next one to take)
    done = context.Queue()  # (position, result) from the workers; a failed worker sends (-1, its error)
    workers = [context.Process(target=_work, args=(items, taken, done), daemon=True) for _ in range(processes - 1)]
    try:
        for worker in workers:
            worker.start()
        ready: dict[int, Any] = {}
        for k in range(len(items)):
            while k not in ready:
                if _arrived(done, ready, workers, wait=False):
                    continue
                mine = _take(taken, len(items))
                if mine is None:  # every item is taken: wait for the workers'
                    _arrived(done, ready, workers, wait=True)
                else:
                    ready[mine] = _run_task(items[mine])
            yield ready.pop(k)
    finally:
        _TASK = None
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        done.close()


def _take(taken: Any, n: int) -> int | None:
    """The position of the next item not taken by any process (None when all ``n`` are)."""
    with taken.get_lock():
        k = taken.value
        if k >= n:
            return None
        taken.value = k + 1
        return k


def _work(items: Sequence[Any], taken: Any, done: Any) -> None:
    """A forked worker: runs the stage's task on the next item nobody has taken until none is left, sending
    back each result with its position."""
    try:
        while (k := _take(taken, len(items))) is not None:
            done.put((k, _run_task(items[k])))
    except BaseException as exc:  # the stage fails with the worker's error
        done.put((-1, exc))


def _arrived(done: Any, ready: dict[int, Any], workers: list[Any], wait: bool) -> bool:
    """Move the workers' results that have arrived into ``ready`` (``wait``: for one at least); whether any
    did. A worker's error is raised here; so is a worker's death before it sent all it took."""
    got = False
    while True:
        try:
            k, result = done.get(timeout=1.0) if wait and not got else done.get_nowait()
        except queue.Empty:
            if got or not wait:
                return got
            if not any(worker.is_alive() for worker in workers) and done.empty():
                codes = ", ".join(str(worker.exitcode) for worker in workers)
                raise RuntimeError(f"a worker process stopped before sending its results (exit codes {codes}); "
                                   f"out of memory? Try --workers 1") from None
            continue
        if k < 0:
            raise result
        ready[k] = result
        got = True


def _run_task(item: Any) -> Any:
    """What a process does with one item of the stage running in forked workers: its task."""
    assert _TASK is not None
    return _TASK(item)


def _processes(workers: int | None, work: int, per_worker: int) -> int:
    """How many processes a stage runs in: ``workers``, or (None) one per core this process may use with at
    least ``per_worker`` of its ``work`` items each; 1 where processes cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return workers if workers is not None else min(len(os.sched_getaffinity(0)), work // per_worker)


_PROFILE_BATCH = 256  # texts per profiling task of a worker
_MIN_PROFILES_PER_WORKER = 2048  # texts per worker at least: about 2 ms each, against a fork and the copy back


def _profiled(texts: list[str], workers: int | None, advance: Callable[[int], Any]) -> list[TextProfile]:
    """Profiles of ``texts``, in order; in forked processes (``workers`` as for alignment) when there are
    enough texts. Repeated sentences share their parts either way (:func:`dedup.align.reshared`), so the
    profiles are the same, and as small, whatever the number of processes."""
    seen: dict = {}
    processes = _processes(workers, len(texts), _MIN_PROFILES_PER_WORKER)
    if processes < 2:
        out = []
        for text in texts:
            out.append(profile(text, seen))
            advance(1)
        return out

    def batch(start: int) -> list[TextProfile]:
        mine: dict = {}
        return [profile(text, mine) for text in texts[start: start + _PROFILE_BATCH]]

    out: list[TextProfile] = []
    for made in _forked(batch, range(0, len(texts), _PROFILE_BATCH), processes):
        out.extend(reshared(p, seen, text) for p, text in zip(made, texts[len(out): len(out) + len(made)]))
        advance(len(made))
    return out


_SIGN_BATCH = 1024  # texts per MinHash task
_MIN_SIGNED_PER_WORKER = 4096  # texts per worker at least: under 1 ms each


def _signed(texts: list[str], cfg: Config, workers: int | None, progress: Progress) -> np.ndarray:
    """MinHash signatures of ``texts`` (:func:`dedup.candidates.minhash_signatures`), in forked processes
    (``workers`` as for alignment) when there are enough texts; each text's signature is its own, however
    the texts are batched."""
    out = np.zeros((len(texts), cfg.num_perm), dtype=np.uint32)
    starts = range(0, len(texts), _SIGN_BATCH)
    processes = _processes(workers, len(texts), _MIN_SIGNED_PER_WORKER)
    with progress("minhash", len(texts)) as task:
        for start, part in zip(starts, _forked(lambda s: minhash_signatures(texts[s: s + _SIGN_BATCH], cfg),
                                               starts, processes)):
            out[start: start + len(part)] = part
            task.advance(len(part))
    return out


_EMBED_BATCH = 256  # texts per encode call (and per worker task)
_MIN_TEXTS_PER_WORKER = 512  # texts per worker at least (two batches): a worker inherits the loaded model from
# the fork, so two processes win early (USE on tass-dev's 1,246 distinct texts: 2.3 s in one process, 1.4 in two)


def _encoded(encoder: Encoder, texts: list[str], workers: int | None) -> Iterator[tuple[int, np.ndarray]]:
    """``(start, vectors)`` of ``texts`` batch by batch, in order.

    An encoder with ``single_threaded()`` (USE: numpy on small matrices, where
    a second BLAS thread gains a half and a second process nearly doubles) is
    run in this process and forked ones, each on its one-thread encoder. The
    batches are the same either way, so are the vectors, bit for bit (USE's
    depend on how texts are batched, and on some CPUs on BLAS's thread count:
    it runs on one thread unless asked otherwise). ``workers``: as for
    alignment (None: one per core when there are enough texts).
    """
    starts = range(0, len(texts), _EMBED_BATCH)
    single = getattr(encoder, "single_threaded", None)
    processes = 1 if single is None else _processes(workers, len(texts), _MIN_TEXTS_PER_WORKER)
    own: list[Encoder] = []  # in each process embedding: its one-thread encoder, made on its first batch

    def batch(start: int) -> np.ndarray:
        if processes > 1 and not own:
            own.append(single())
        return (own[0] if own else encoder).encode(texts[start: start + _EMBED_BATCH])

    yield from zip(starts, _forked(batch, starts, processes))


def _missing(value: Any) -> bool:
    """A DataFrame cell with no value: None, NaN or NaT."""
    return value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NaTType"


def _check_unique(docs: Sequence[Document]) -> None:
    """Every document id once: records, pairs and families are keyed by id."""
    first: dict[str, Document] = {}
    for d in docs:
        seen = first.setdefault(d.id, d)
        if seen is not d:
            first_at = f"{seen.path}:{seen.line}" if seen.line is not None else seen.path
            raise InputError(d.path or "<documents>", d.line,
                             f"document id {d.id!r} is given twice (first at {first_at or 'an earlier document'}); "
                             "ids must be unique")


def _record_to_document(r: DocumentRecord) -> Document:
    return Document(id=r.id, text=r.text, title=r.title, url=r.url, source=r.source, date=r.date, meta=r.meta,
                    path=r.input.get("path") or "", line=r.input.get("line"))


def _document_record(d: Document, sentences: list[Offsets], family: str | None, is_origin: bool,
                     also: list[AlsoLink], decision: tuple[str, str] | None = None) -> DocumentRecord:
    """The saved record of ``d``; ``decision`` is its ``(keep or drop, reason)`` (None outside a corpus run)."""
    return DocumentRecord(id=d.id, text=d.text, sentences=sentences, family=family, is_origin=is_origin, also=also,
                          title=d.title, source=d.source, url=d.url, date=d.date, agencies=credited_agencies(d.text),
                          input={"path": d.path, "line": d.line}, meta=d.meta,
                          decision=decision[0] if decision else None,
                          decision_reason=decision[1] if decision else None)
