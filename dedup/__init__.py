"""dedup: near-duplicate and rewrite detection for syndicated news.

>>> from dedup import Dedup, load_documents
>>> docs, skipped = load_documents(["articles.jsonl"])
>>> results = Dedup().cluster(docs, skipped)
>>> results.write("results/")
"""
__version__ = "0.1.0"

from .align import Alignment, align_texts
from .config import Config, ConfigError
from .documents import Document, InputError, Skipped, load_documents
from .encoders import Encoder, EncoderError, HashingEncoder, load_encoder
from .pipeline import Dedup
from .records import DocumentRecord, Family, PairRecord, Passage, RelatedGroup
from .results import Results, ResultsError

__all__ = [
    "Alignment",
    "Config",
    "ConfigError",
    "Dedup",
    "Document",
    "DocumentRecord",
    "Encoder",
    "EncoderError",
    "Family",
    "HashingEncoder",
    "InputError",
    "PairRecord",
    "Passage",
    "RelatedGroup",
    "Results",
    "ResultsError",
    "Skipped",
    "__version__",
    "align_texts",
    "load_documents",
    "load_encoder",
]
