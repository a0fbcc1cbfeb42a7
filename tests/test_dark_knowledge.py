import numpy as np
import pytest
import torch
from datasets import Dataset
from transformers import BertConfig, BertForSequenceClassification

from course_utils import dark_knowledge as dk
from course_utils.models import load_tokenizer

CLASSES = ["1★", "2★", "4★", "5★"]


def test_near_miss_ratio_compares_the_neighbour_with_the_other_polarity():
    # a 1★ review: 0.2 on 2★ (its neighbour), 0.05 on each of 4★ and 5★ -> 4x
    # a 5★ review: 0.3 on 4★ (its neighbour), 0.1 on each of 1★ and 2★
    probabilities = [[0.7, 0.2, 0.05, 0.05], [0.1, 0.1, 0.3, 0.5]]
    expected = np.mean([0.2, 0.3]) / np.mean([0.05, 0.1])
    assert dk.near_miss_ratio(probabilities, CLASSES, [1, 5]) == pytest.approx(expected)
    # a teacher that spreads wrong answers evenly has no near misses: ratio 1
    even = [[0.4, 0.2, 0.2, 0.2]]
    assert dk.near_miss_ratio(even, CLASSES, [1]) == pytest.approx(1.0)


def test_separation_is_an_auc():
    stars = [1, 1, 2, 2, 4, 5]
    assert dk.separation([0.1, 0.2, 0.3, 0.4, 9, 9], stars, 1, 2) == 1.0
    assert dk.separation([0.4, 0.3, 0.2, 0.1, 9, 9], stars, 1, 2) == 0.0
    assert dk.separation([0.1, 0.3, 0.2, 0.4, 9, 9], stars, 1, 2) == 0.75


def test_softened_rows_are_distributions_that_flatten_with_t():
    table = dk.softened(torch.tensor([4.0, 2.0, 0.0, -2.0]), CLASSES)
    assert list(table.index) == [f"T = {t}" for t in dk.TEMPERATURES]
    assert np.allclose(table.sum(axis=1), 1.0)
    assert table["1★"].is_monotonic_decreasing and table["5★"].is_monotonic_increasing


def test_by_true_stars_and_positive_by_stars_average_over_each_rating():
    table = dk.by_true_stars([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], ["a", "b"], [1, 1, 5])
    assert table.loc["1★"].tolist() == [0.5, 0.5] and table.loc["5★"].tolist() == [0.5, 0.5]
    logits = torch.tensor([[0.0, 0.0], [0.0, 2.0]])
    positive = dk.positive_by_stars(logits, [1, 5])
    assert positive.at["1★", "T = 1"] == pytest.approx(0.5)
    assert positive.at["5★", "T = 2"] == pytest.approx(torch.sigmoid(torch.tensor(1.0)).item())


def test_star_teacher_reads_the_teachers_cls_features():
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=64, num_labels=2)
    teacher = BertForSequenceClassification(config).eval()
    tokenizer = load_tokenizer()
    split = Dataset.from_dict({"text": ["great", "awful", "fine but slow", "never again"] * 3,
                               "label": [1, 0, 1, 0] * 3})
    logits, features = dk.teacher_view(teacher, tokenizer, split)
    assert logits.shape == (12, 2) and features.shape == (12, 32)
    with torch.no_grad():
        batch = tokenizer(["awful"], return_tensors="pt")
        cls = teacher.bert(**batch).last_hidden_state[0, 0]
    assert np.allclose(features[1], cls.numpy(), atol=1e-5)
    star_teacher = dk.fit_star_teacher(features, [5, 1, 4, 2] * 3)
    assert star_teacher.classes == CLASSES
    assert star_teacher.logits(features).shape == (12, 4)
