"""The course's reviews corpus: original customer reviews (CC0) shipped inside the package.

``load_reviews()`` returns a ``datasets.DatasetDict`` with fixed ``train``, ``validation``
and ``test`` splits and a ``challenge`` split of hard cases. See ``DATASHEET.md`` here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

from ..core.evaluation import LABELS

HERE = Path(__file__).parent
SPLITS = ("train", "validation", "test")
PHENOMENA = (
    "negation", "contrast", "sarcasm", "mixed", "typos",
    "emoji", "rare_words", "very_short", "very_long",
)

_COLUMNS = {
    "text": Value("string"),
    "label": ClassLabel(names=list(LABELS)),
    "stars": Value("int8"),
    "category": Value("string"),
}


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _dataset(rows: list[dict], extra: dict | None = None) -> Dataset:
    features = Features({**_COLUMNS, **(extra or {})})
    return Dataset.from_list([{key: row[key] for key in features} for row in rows],
                             features=features)


def load_reviews() -> DatasetDict:
    """The reviews corpus: ``train``, ``validation``, ``test`` and ``challenge`` splits.

    Columns: ``text``, ``label`` (0 negative, 1 positive), ``stars`` (1-5, never 3),
    ``category``; the challenge split also has ``phenomenon`` (one of :data:`PHENOMENA`).
    """
    reviews = _read_jsonl(HERE / "reviews.jsonl")
    splits = {name: _dataset([r for r in reviews if r["split"] == name]) for name in SPLITS}
    splits["challenge"] = _dataset(_read_jsonl(HERE / "challenge.jsonl"),
                                   {"phenomenon": Value("string")})
    return DatasetDict(splits)


def split_sentences(text: str) -> list[str]:
    """Sentences of a review (split after ., ! or ? followed by white space)."""
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
