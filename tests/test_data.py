"""The reviews corpus keeps the promises of its datasheet."""

from collections import Counter

import pytest

from course_utils.core.evaluation import LABELS
from course_utils.data import PHENOMENA, load_reviews


@pytest.fixture(scope="module")
def reviews():
    return load_reviews()


def test_splits_and_columns(reviews):
    assert set(reviews) == {"train", "validation", "test", "challenge"}
    for split in reviews.values():
        assert {"text", "label", "stars", "category"} <= set(split.column_names)
    assert "phenomenon" in reviews["challenge"].column_names
    assert reviews["train"].features["label"].names == list(LABELS)


def test_sizes(reviews):
    labelled = sum(len(reviews[s]) for s in ("train", "validation", "test"))
    assert labelled >= 600
    assert len(reviews["challenge"]) >= 120
    assert len(reviews["test"]) >= 150 and len(reviews["validation"]) >= 80


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_each_split_is_balanced_in_every_category(reviews, split):
    counts = Counter(zip(reviews[split]["category"], reviews[split]["label"]))
    categories = set(reviews[split]["category"])
    assert len(categories) >= 8
    for category in categories:
        assert counts[(category, 0)] == counts[(category, 1)] > 0


def test_labels_agree_with_stars(reviews):
    for split in reviews.values():
        for label, stars in zip(split["label"], split["stars"]):
            assert stars in (1, 2, 4, 5)
            assert label == int(stars >= 4)


def test_no_duplicates_and_no_text_shared_between_splits(reviews):
    seen = {}
    for name, split in reviews.items():
        for text in split["text"]:
            key = " ".join(text.lower().split())
            assert key not in seen, f"{text[:60]!r} is in {seen.get(key)} and {name}"
            seen[key] = name


def test_challenge_covers_every_phenomenon_with_both_labels(reviews):
    challenge = reviews["challenge"]
    by_phenomenon = Counter(zip(challenge["phenomenon"], challenge["label"]))
    for phenomenon in PHENOMENA:
        assert by_phenomenon[(phenomenon, 0)] >= 3 and by_phenomenon[(phenomenon, 1)] >= 3
    assert set(challenge["phenomenon"]) == set(PHENOMENA)


def test_lengths_vary(reviews):
    words = sorted(len(t.split()) for t in reviews["train"]["text"])
    assert words[0] < 15 and words[-1] > 100
    long_ones = [t for t, p in zip(reviews["challenge"]["text"], reviews["challenge"]["phenomenon"])
                 if p == "very_long"]
    assert min(len(t.split()) for t in long_ones) >= 400
