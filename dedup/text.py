"""Sentences, tokens, numbers and shingles, Unicode-aware, with character offsets.

Sentence ends are recognised for Latin, Cyrillic, Greek, Arabic-script
(Urdu ``۔``, ``؟``) and CJK (``。！？``) text; every sentence keeps its
``start``/``end`` offsets into the original text.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Sequence, overload

import py3langid

# A sentence ends at terminal punctuation (plus closing quotes/brackets) when
# whitespace follows, or right away for scripts that do not use spaces.
_TERMINAL = r"[.!?…]"
_CLOSERS = r"[\"'”’»)\]]*"
_BOUNDARY = re.compile(
    rf"(?:{_TERMINAL}{_CLOSERS}(?=\s)|[。！？]{_CLOSERS}|[۔؟]{_CLOSERS}|\n\s*)"
)
_ENDS_SENTENCE = re.compile(rf"(?:{_TERMINAL}|[。！？۔؟:]){_CLOSERS}$")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep",
    "prof", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc", "no", "nos", "vol", "fig",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "approx", "est", "dept", "univ", "adm", "maj",
    "г", "гг", "т", "тыс", "млн", "млрд", "руб", "им", "ул", "д", "см", "др", "пр", "н.э",
}
_WORD = re.compile(r"\w+", re.UNICODE)
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.$")
_ABBREVIATION_WINDOW = 64
_NUMBER = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?![\d])(?:[,.]\d+)?|\d+(?:[,.]\d+)*)(?![\w])"
)
_MAX_SENTENCE_CHARS = 600
_SOFT_BREAK = re.compile(r"[;:]\s+|,\s+(?=\S{3,})")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its offsets into the document text."""

    start: int
    end: int
    text: str


def _is_abbreviation(text: str, cut: int) -> bool:
    """True when the '.' ending at ``cut`` closes an abbreviation or an initial."""
    if cut == 0 or text[cut - 1] != ".":
        return False
    # Only the word before the dot matters: search a short window, not the whole prefix
    # (that made splitting quadratic in the text length). A word that fills the window is no abbreviation.
    window = max(0, cut - _ABBREVIATION_WINDOW)
    m = _WORD_BEFORE_DOT.search(text, window, cut)
    if not m or (m.start() == window and window > 0):
        return False
    word = m.group(1)
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial such as "J."
    return word.lower() in _ABBREVIATIONS


def _is_soft_wrap(text: str, start: int, boundary: re.Match[str]) -> bool:
    """True when a single line break continues the sentence: a hard-wrapped line.

    The line must not end a sentence itself, and the next line must go on in
    lower case. A blank line, a list item, or a capitalised line after an
    unpunctuated one (a headline, a byline), still ends the sentence.
    """
    if "\n" not in boundary.group(0) or boundary.group(0).count("\n") > 1 or boundary.end() >= len(text):
        return False
    line = text[start: boundary.start()].rstrip()
    if not line or _ENDS_SENTENCE.search(line):
        return False
    return text[boundary.end()].islower()


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Break a run-on sentence at ';', ':' or ',' (else at a space) so no piece exceeds the cap."""
    spans: list[tuple[int, int]] = []
    while end - start > _MAX_SENTENCE_CHARS:
        window = text[start + _MAX_SENTENCE_CHARS // 3: start + _MAX_SENTENCE_CHARS]
        cuts = [m.end() for m in _SOFT_BREAK.finditer(window)] or [m.end() for m in _SPACE.finditer(window)]
        if not cuts:
            break
        cut = start + _MAX_SENTENCE_CHARS // 3 + cuts[-1]
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with exact character offsets.

    Paragraph breaks end a sentence, and so do line breaks (headlines,
    bylines) except inside hard-wrapped text; whitespace is trimmed from each
    span, and empty spans are dropped.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.end()
        if m.group(0).startswith(".") and _is_abbreviation(text, m.start() + 1):
            continue
        if _is_soft_wrap(text, start, m):
            continue
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    sentences: list[Sentence] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s or not any(ch.isalnum() for ch in text[s:e]):
            continue
        for ps, pe in _split_long(text, s, e):
            while ps < pe and text[ps].isspace():
                ps += 1
            while pe > ps and text[pe - 1].isspace():
                pe -= 1
            if pe > ps:
                sentences.append(Sentence(ps, pe, text[ps:pe]))
    return sentences


class Sentences(Sequence[Sentence]):
    """A text's sentences kept as two arrays of offsets into the text: each :class:`Sentence` (with its own
    copy of its text) is made when read. A corpus run keeps every text's sentences for the whole run, millions
    of them; as offsets into the document's own string they take 16 bytes each instead of about 270."""

    __slots__ = ("text", "_starts", "_ends")

    def __init__(self, text: str, sentences: Sequence[Sentence]) -> None:
        self.text = text
        self._starts = array("q", [x.start for x in sentences])
        self._ends = array("q", [x.end for x in sentences])

    def over(self, text: str) -> "Sentences":
        """The same sentences over ``text`` (an equal string: this process's own copy of the text)."""
        if text != self.text:
            raise ValueError("the sentences belong to another text")
        out = Sentences(text, ())
        out._starts, out._ends = self._starts, self._ends
        return out

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, k: int) -> Sentence: ...

    @overload
    def __getitem__(self, k: slice) -> list[Sentence]: ...

    def __getitem__(self, k: int | slice) -> Sentence | list[Sentence]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        start, end = self._starts[k], self._ends[k]
        return Sentence(start, end, self.text[start:end])

    def __iter__(self) -> Iterator[Sentence]:
        text = self.text
        return (Sentence(s, e, text[s:e]) for s, e in zip(self._starts, self._ends))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Sentences) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Sentences({list(self)!r})"

    def texts(self) -> Iterator[str]:
        """Each sentence's text (without making :class:`Sentence` records: a corpus run reads millions)."""
        text = self.text
        return (text[s:e] for s, e in zip(self._starts, self._ends))

    def lengths(self) -> list[int]:
        """Characters of each sentence."""
        return [e - s for s, e in zip(self._starts, self._ends)]


def normalise(text: str) -> str:
    """Case-folded, NFKC, whitespace-collapsed form used for lexical comparison."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("«", '"').replace("»", '"')
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits of any script)."""
    return _WORD.findall(normalise(text))


def words_as_written(text: str) -> list[str]:
    """Word tokens with their case as written."""
    return _WORD.findall(text)


def _normalise_number(raw: str) -> str:
    """'1,000' / '1 000' / '1.000' -> '1000'; '38,5' / '38.5' -> '38.5'."""
    parts = re.split(r"[,.\u00a0\u202f ]", raw)
    if len(parts) == 1:
        return raw.lstrip("0") or "0"
    if all(len(p) == 3 for p in parts[1:]):
        return ("".join(parts)).lstrip("0") or "0"
    whole = "".join(parts[:-1]).lstrip("0") or "0"
    return f"{whole}.{parts[-1]}"


def _ascii_digits(number: str) -> str:
    """'١٩' / '۱۹' / '１９' -> '19': any script's decimal digits, as ASCII."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in number)


def numbers(text: str) -> set[str]:
    """Numbers in ``text``, normalised across thousand/decimal conventions and digit scripts."""
    return {_normalise_number(_ascii_digits(m.group(0).strip())) for m in _NUMBER.finditer(text)}


def shingles(tokens: list[str], size: int) -> set[str]:
    """Word n-grams (joined by spaces); short texts yield their whole token run."""
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i: i + size]) for i in range(len(tokens) - size + 1)}


_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґђћџљњј",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g",
     "dj", "c", "dz", "lj", "nj", "j"],
))
_NOT_NAMES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "the", "this", "that", "there", "they", "these", "those", "and", "but", "however", "according",
    "это", "этот", "эти", "как", "при", "для", "что", "его", "она", "они", "так",
}
_SKELETON_DROP = set("aeiouyjwh")
_SKELETON_CHARS = 4


def name_key(word: str) -> str:
    """Script-independent key of a name: transliterated consonant skeleton, first 4 letters.

    Vowels and glides are where transliterations disagree ('Уиткофф' ->
    'uitkoff' vs 'Witkoff'), so both reduce to 'tkff'; inflection endings
    fall past the cut ('Лаврова' and 'Lavrov' -> 'lvrv').
    """
    folded = "".join(_TRANSLIT.get(ch, ch) for ch in word.casefold())
    folded = unicodedata.normalize("NFKD", folded)
    letters = [ch for ch in folded if ch.isalpha() and not unicodedata.combining(ch) and ch not in _SKELETON_DROP]
    return "".join(letters[:_SKELETON_CHARS])


@lru_cache(maxsize=1 << 18)
def _capitalised_key(tok: str) -> str | None:
    """The :func:`name_key` of a capitalised word that can be a name, else None. A corpus writes the same
    names in sentence after sentence, and each sentence's names are read when it is profiled and again when a
    pair of its article is explained: each distinct word is keyed once (per process, up to 2^18 words)."""
    if tok.isdigit() or tok.casefold() in _NOT_NAMES:
        return None
    key = name_key(tok)
    return key if len(key) >= 2 else None


def _names(sentence: str) -> Iterator[tuple[int, str, str]]:
    """(word position, key, word) of each capitalised word that can be a name."""
    for k, tok in enumerate(words_as_written(sentence)):
        if len(tok) >= 3 and tok[0].isupper():
            key = _capitalised_key(tok)
            if key is not None:
                yield k, key, tok


def name_words(sentence: str) -> dict[str, str]:
    """Capitalised words (names, places, agencies), the first word included, by their :func:`name_key`.

    A sentence-initial common word also becomes a key, but corpus weighting
    (:func:`dedup.align.anchor_weights`) makes such frequent keys count little.
    Caseless scripts (Arabic, CJK) yield none; numbers carry their facts.
    The first spelling of each key is kept (for showing which names two texts share).
    """
    found: dict[str, str] = {}
    for _, key, tok in _names(sentence):
        found.setdefault(key, tok)
    return found


def name_keys(sentence: str) -> tuple[set[str], set[str]]:
    """Keys of the names in ``sentence`` (see :func:`name_words`), and those of the names after its first
    word, which is capitalised whatever it is: the names the sentence surely carries."""
    every, after_first = set(), set()
    for k, key, _ in _names(sentence):
        every.add(key)
        if k:
            after_first.add(key)
    return every, after_first


_LANGUAGE_SAMPLE = 1000


def language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid's bundled model, 97 languages).

    Alignment needs it to know whether two articles are translations of each
    other and whether the sentence encoder knows their language at all. The
    opening ``_LANGUAGE_SAMPLE`` characters decide: enough for a stable
    guess, cheap on long articles (py3langid walks the text byte by byte in
    Python). On the 4,228 texts of the dev sets, seeds, PAN subset and 3,000
    generated articles, the first 1,000 characters give the language the
    first 2,000 gave on every text; at 10^5 articles that halves the 84 CPU
    seconds the guess took.
    """
    return py3langid.classify(text[:_LANGUAGE_SAMPLE])[0]
