"""The one way the course scores a model: the label table, accuracy with its interval,
paired comparisons, and the scorer that is also the Trainer's compute_metrics."""

import numpy as np
import pytest

from course_utils.core import evaluation
from course_utils.core.evaluation import (
    accuracy,
    difference,
    mcnemar,
    retention,
    wilson_interval,
    worse_by,
)


def test_wilson_interval_known_values():
    low, high = wilson_interval(90, 100)
    assert low == pytest.approx(0.8256, abs=1e-4) and high == pytest.approx(0.9448, abs=1e-4)
    assert wilson_interval(0, 10)[0] == 0.0
    with pytest.raises(ValueError):
        wilson_interval(0, 0)


def test_accuracy_reports_n_and_interval():
    acc = accuracy([1, 0, 1, 1], [1, 0, 0, 1])
    assert acc.value == 0.75 and acc.n == 4 and acc.low < 0.75 < acc.high
    assert "n=4" in str(acc)
    with pytest.raises(ValueError, match="predictions"):
        accuracy([1, 0], [1])


def test_accuracy_of_no_examples_says_what_is_wrong():
    with pytest.raises(ValueError, match="at least one label"):
        accuracy([], [])


def test_mcnemar_counts_discordant_pairs_and_tests_them_exactly():
    truth = [1] * 30
    a = [1] * 10 + [0] * 20            # right on the first 10
    b = [1] * 5 + [0] * 5 + [1] * 20   # right on 25: 20 that a got wrong, misses 5 that a got
    paired = mcnemar(truth, a, b)
    assert (paired.only_a, paired.only_b) == (5, 20)
    assert paired.p_value == pytest.approx(0.004077, abs=1e-5) and paired.significant
    same = mcnemar(truth, a, a)
    assert (same.only_a, same.only_b, same.p_value, same.significant) == (0, 0, 1.0, False)
    assert not mcnemar(truth, a, [1] * 11 + [0] * 19).significant
    with pytest.raises(ValueError, match="predictions"):
        mcnemar(truth, a, b[:3])


def test_difference_is_paired_and_adjusted_where_two_models_rarely_disagree():
    """Bonett and Price's interval by hand: 100 reviews, the other model loses 3 and gains
    none: (0 + 1) / 102 - (3 + 1) / 102 = -2.9 points, +/- 1.96 sqrt((5 / 102 - 0.029^2) / 102)
    = 4.3: -7.2 to +1.3, so it is not shown within 5 points. Two models that never disagree
    still get an interval (+/- 2.7 points on 100 reviews): 100 reviews cannot show a margin
    under that. The models' shared errors do not widen it (paired)."""
    truth = [1] * 100
    teacher = [0] * 10 + [1] * 90
    lost_three = [0] * 13 + [1] * 87
    d = difference(truth, teacher, lost_three, margin=0.05)
    assert d.value == pytest.approx(-0.03) and d.n == 100
    assert (round(d.low, 3), round(d.high, 3)) == (-0.072, 0.013)
    assert not d.non_inferior and "not shown within 5 points" in str(d)
    assert difference(truth, teacher, lost_three, margin=0.08).non_inferior
    same = difference(truth, teacher, teacher, margin=0.05)
    assert (round(same.low, 3), round(same.high, 3)) == (-0.027, 0.027) and same.non_inferior
    assert not difference(truth, teacher, teacher, margin=0.02).non_inferior
    with pytest.raises(ValueError, match="predictions"):
        difference(truth, teacher, lost_three[:-1], margin=0.05)
    with pytest.raises(ValueError, match="0.05 is 5 points"):
        difference(truth, teacher, lost_three, margin=5)


def test_retention_interval_is_paired_and_rejects_a_clearly_worse_student():
    """The GPU run's table (both right 142, teacher only 17, student only 9): 95.0%, and its
    interval still reaches 97%; a student wrong on 20 more reviews (87%) does not reach it."""
    truth = [1] * 180
    teacher = [1] * 159 + [0] * 21
    student = [1] * 142 + [0] * 17 + [1] * 9 + [0] * 12
    kept = retention(truth, teacher, student)
    assert kept.value == pytest.approx(151 / 159) and kept.low < kept.value < kept.high
    assert kept.high >= 0.97
    worse = [1] * 122 + [0] * 37 + [1] * 9 + [0] * 12  # 131 right: 82% of the teacher's
    assert retention(truth, teacher, worse).high < 0.97
    assert retention(truth, teacher, teacher).value == 1.0
    with pytest.raises(ValueError, match="predictions"):
        retention(truth, teacher, student[:-1])


def test_compute_metrics_is_the_scorers_accuracy_of_the_argmax_class():
    logits = np.array([[2.0, -1.0], [0.1, 0.3], [1.0, 0.0], [-3.0, 2.0]])
    labels = np.array([0, 1, 1, 1])
    assert evaluation.compute_metrics((logits, labels)) == {"accuracy": 0.75}
    assert evaluation.compute_metrics(((logits, "hidden states"), labels)) == {"accuracy": 0.75}


def test_worse_by_makes_exactly_k_right_answers_wrong():
    truth, predicted = [1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 0]
    rival = worse_by(truth, predicted, 2)
    assert rival == [0, 1, 0, 1, 1, 0]
    paired = mcnemar(truth, predicted, rival)
    assert (paired.only_a, paired.only_b) == (2, 0)
    assert worse_by(truth, predicted, 0) == predicted
    with pytest.raises(ValueError, match="only 4 right answers"):
        worse_by(truth, predicted, 5)
