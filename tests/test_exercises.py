"""The exercise machinery: reference solutions checked out of sight, lesson 00's checkers."""

from __future__ import annotations

import os

import pytest

from course_utils.exercises import (
    STRICT_VARIABLE,
    WrongAnswer,
    check_reference,
    show_solution,
    welcome,
)
from course_utils.exercises.solutions import welcome as solutions


class _ReadsEverythingPositive:
    """A stand-in analyzer that calls every review positive."""

    def predict_polarity(self, texts):
        return [1 for _ in texts]


def _check_equals_two(answer):
    welcome.feedback(answer == 2, "two.", "not two.")


def test_check_reference_hides_the_verdict_and_fails_a_wrong_reference(capsys, monkeypatch):
    monkeypatch.delenv(STRICT_VARIABLE, raising=False)
    check_reference(_check_equals_two, 2)
    assert capsys.readouterr().out.startswith("🔒 A reference solution passes this check")
    with pytest.raises(WrongAnswer, match="does not pass: not two"):
        check_reference(_check_equals_two, 3)
    assert STRICT_VARIABLE not in os.environ


def test_show_solution_shows_the_source_that_runs():
    code = show_solution(solutions.hardest_category)
    assert "def hardest_category(analyzer, validation):" in code.data
    assert code.data.startswith("# course_utils.exercises.solutions.welcome.hardest_category")


def test_a_mislabelled_review_does_not_fool_the_checker(capsys):
    analyzer = _ReadsEverythingPositive()
    welcome.check_fooling_review(("This is great, I love it.", 0), analyzer)  # mislabelled
    welcome.check_fooling_review(("It is not great.", 0), analyzer)
    welcome.check_fooling_review(("Lovely.", 1), analyzer)  # read correctly
    welcome.check_fooling_review(None, analyzer)
    wrong_label, fooled, correct, stub = capsys.readouterr().out.splitlines()
    assert wrong_label.startswith("❌") and "VADER reads it as positive" in wrong_label
    assert fooled.startswith("✅") and correct.startswith("❌") and stub.startswith("⏳")


def test_the_reference_review_is_written_for_the_exercise_not_taken_from_the_corpus():
    from course_utils.data import load_reviews

    text, label = solutions.fooling_review(_ReadsEverythingPositive())
    assert label == 0 and text in dict(solutions.CANDIDATE_REVIEWS)
    assert all(text not in split["text"] for split in load_reviews().values())


# ---- every checker of lessons 00, 01, 03, 04 and 06: a right answer passes, a wrong one not
# (lesson 02's checkers are covered in test_pretraining.py, lesson 05's in test_tokenization.py)

_TEXTS = ["A lovely kettle.", "It broke in a week.", "Fine."]


def _flipped_classifier(tiny_bert_classifier):
    """A tiny sentiment model whose POSITIVE class is column 0, and sure of it (the bias):
    an answer that assumes column 1 is positive is far off."""
    import torch

    model = tiny_bert_classifier(vocab_size=30522, id2label={0: "POSITIVE", 1: "NEGATIVE"},
                                 label2id={"POSITIVE": 0, "NEGATIVE": 1})
    with torch.no_grad():
        model.classifier.bias.copy_(torch.tensor([1.0, -1.0]))
    return model


def _positive_probability(right, tiny_bert_classifier):
    from course_utils.core.sentiment import SentimentAnalyzer
    from course_utils.models import load_tokenizer

    tokenizer = load_tokenizer()
    analyzer = SentimentAnalyzer(_flipped_classifier(tiny_bert_classifier), tokenizer)

    def second_column(texts, tokenizer, model):  # "positive is label 1", without id2label
        batch = tokenizer(texts, padding=True, return_tensors="pt")
        return model(**batch).logits.softmax(-1)[:, 1].tolist()

    answer = solutions.positive_probability if right else second_column
    welcome.check_positive_probability(answer, analyzer, _TEXTS)


def _hardest_category(right, _):
    analyzer = _ReadsEverythingPositive()
    split = {"text": [f"review {i}" for i in range(8)], "label": [1, 1, 1, 0, 0, 0, 1, 0],
             "category": ["easy"] * 3 + ["hard"] * 3 + ["middle"] * 2}  # 100%, 0%, 50%
    answer = solutions.hardest_category(analyzer, split) if right else "easy"
    welcome.check_hardest_category(answer, analyzer, split)


def _fooling_review(right, _):
    analyzer = _ReadsEverythingPositive()
    answer = solutions.fooling_review(analyzer) if right else ("Lovely, I love it.", 1)
    welcome.check_fooling_review(answer, analyzer)


class _ReadsTheStart:
    """A stand-in analyzer that reads a review's polarity from its first word, and only when
    it reads at least 20 tokens."""

    def __init__(self, model=None, tokenizer=None, max_length=None):
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length

    def predict_polarity(self, texts):
        short = self.max_length is not None and self.max_length < 20
        return [0 if short else int(text.startswith("good")) for text in texts]


def _truncation_prediction(right, _):
    split = {"text": ["good"] * 6 + ["bad"] * 4, "label": [1] * 6 + [0] * 4}  # 100% -> 40%
    answer = solutions.TRUNCATION_PREDICTION if right else "less"
    welcome.check_truncation_prediction(answer, _ReadsTheStart(), split)


class _Words:
    """A stand-in tokenizer: a token per word, and one more per capital unless it is
    ``uncased``."""

    def __init__(self, uncased):
        self.uncased = uncased

    def ids(self, texts, special=False):
        return [[0] * (len(t.split()) + (0 if self.uncased else sum(map(str.isupper, t))))
                for t in texts]


def _lowercase_prediction(right, _):
    from course_utils.exercises import tokenization as exercises
    from course_utils.exercises.solutions import tokenization as answers

    tokenizers = {"WordPiece 30k": _Words(uncased=True), "BPE 30k": _Words(uncased=False)}
    texts = ["It " + "works well " * 30]  # one capital in 61 words: 1.6% of the BPE's tokens
    # wrong: "casing costs a cased BPE a lot"
    answer = answers.LOWERCASE_PREDICTION if right else "more"
    exercises.check_lowercase_prediction(answer, tokenizers, texts)


def _soft_target_loss(right, _):
    from course_utils.exercises import distillation as exercises
    from course_utils.exercises.solutions import distillation as answers

    def without_t_squared(student, teacher, temperature):
        return answers.my_soft_target_loss(student, teacher, temperature) / temperature**2

    answer = answers.my_soft_target_loss if right else without_t_squared
    exercises.check_soft_target_loss(answer)


def _mapped_module(right, _):
    from course_utils.distillation import every_other_layer
    from course_utils.exercises import distillation as exercises
    from course_utils.exercises.solutions import distillation as answers

    target, layers = "distilbert.transformer.layer.1.ffn.lin1", every_other_layer(12)
    # wrong: the student's layer index, not the teacher layer it came from (layers[1] = 2)
    answer = (answers.mapped_module(target, layers) if right
              else "bert.encoder.layer.1.intermediate.dense")
    exercises.check_mapped_module(answer, target, layers)


def _total_ratio(right, tiny_bert_classifier):
    from course_utils.exercises import distillation as exercises
    from course_utils.exercises.solutions import distillation as answers

    teacher = tiny_bert_classifier(layers=6, vocab_size=100)
    answer = answers.total_ratio(teacher, kept_layers=2) if right else 2 / 6  # encoder only
    exercises.check_total_ratio(answer, teacher, layers=[0, 3])


def _temperature_prediction(right, _):
    import torch

    from course_utils.dark_knowledge import NEIGHBOUR
    from course_utils.exercises import distillation as exercises
    from course_utils.exercises.solutions import distillation as answers

    classes, stars = ["1★", "2★", "4★", "5★"], [1, 2, 4, 5, 2, 4]
    logits = torch.tensor([[3.0 if c == f"{s}★" else 1.0 if c == f"{NEIGHBOUR[s]}★" else -1.0
                            for c in classes] for s in stars])
    # wrong: "a higher T shows more dark knowledge", read as a larger lead for the near miss
    exercises.check_temperature_prediction(
        answers.TEMPERATURE_PREDICTION if right else "larger", logits, classes, stars)


def _break_even(right, _):
    from course_utils.exercises import albert as exercises
    from course_utils.exercises.solutions import albert as answers

    def table_only(vocab, hidden):  # V*E < V*H, forgetting the E x H projection
        return hidden - 1

    exercises.check_break_even(answers.break_even if right else table_only)


def _depth_prediction(right, _):
    import time
    from types import SimpleNamespace

    import torch

    from course_utils.exercises import albert as exercises
    from course_utils.exercises.solutions import albert as answers

    class SharedLayer(torch.nn.Module):  # one stored layer, applied num_hidden_layers times
        def __init__(self):
            super().__init__()
            self.config = SimpleNamespace(num_hidden_layers=8, vocab_size=100)
            self.layer = torch.nn.Linear(4, 4)

        def forward(self, input_ids, attention_mask):
            for _ in range(self.config.num_hidden_layers):
                time.sleep(0.002)  # each pass costs the same time, whatever the machine
            return input_ids

    # wrong: "sharing makes depth free", the mistake the lesson's latency table corrects
    answer = answers.DEPTH_PREDICTION if right else {"parameters": "same", "latency": "same"}
    exercises.check_depth_prediction(answer, SharedLayer())


def _attention_only(right, _):
    from course_utils.exercises import albert as exercises
    from course_utils.exercises.solutions import albert as answers

    def every_layer_its_own(vocab, embedding, hidden, layers, ffn):  # nothing shared
        attention = 4 * (hidden * hidden + hidden) + 2 * hidden
        return answers.attention_only(vocab, embedding, hidden, layers, ffn) + \
            (layers - 1) * attention

    exercises.check_attention_only(answers.attention_only if right else every_layer_its_own)


def _bert_large(right, _):
    from course_utils.exercises import architecture as exercises
    from course_utils.exercises.solutions import architecture as answers

    def no_pooler(**sizes):
        return answers.bert_parameters(**sizes) - (sizes["hidden"] ** 2 + sizes["hidden"])

    exercises.check_bert_large(answers.bert_parameters if right else no_pooler)


def _albert_xxlarge(right, _):
    from course_utils.exercises import architecture as exercises
    from course_utils.exercises.solutions import architecture as answers

    def twelve_layers(**sizes):  # the layer counted once per depth: sharing forgotten
        one_layer = answers.bert_parameters(0, sizes["hidden"], 1, sizes["ffn"], 0, 0) - \
            (3 * sizes["hidden"] + sizes["hidden"] ** 2)
        return answers.albert_parameters(**sizes) + 11 * one_layer

    exercises.check_albert_xxlarge(answers.albert_parameters if right else twelve_layers)


def _fastest(right, _):
    from types import SimpleNamespace

    from course_utils.exercises import architecture as exercises
    from course_utils.exercises.solutions import architecture as answers

    layers = {"bert": 12, "roberta": 12, "distilbert": 6, "albert": 12}
    zoo = {name: SimpleNamespace(config=SimpleNamespace(num_hidden_layers=n))
           for name, n in layers.items()}
    latency_ms = {"bert": 20.0, "roberta": 21.0, "distilbert": 10.0, "albert": 19.0}
    exercises.check_fastest(answers.fastest(zoo) if right else "albert", latency_ms)


def _budget_batches(right, _):
    from course_utils.exercises import application as exercises
    from course_utils.exercises.solutions import application as answers

    def in_corpus_order(lengths, budget):  # unsorted: a long review pads its neighbours
        batches, current = [], []
        for i, n in enumerate(lengths):
            if current and (len(current) + 1) * max(n, *(lengths[j] for j in current)) > budget:
                batches.append(current)
                current = []
            current.append(i)
        return batches + ([current] if current else [])

    exercises.check_budget_batches(answers.budget_batches if right else in_corpus_order)


def _fourth_team(right, _):
    from types import SimpleNamespace

    from course_utils.exercises import application as exercises
    from course_utils.exercises.solutions import application as answers

    measured = {"teacher-fp32": (86.7, 80), "student-onnx-int8": (17.0, 78),
                "albert-fp32": (22.7, 79), "student-int8": (50.9, 84)}  # right of 135
    results = {name: SimpleNamespace(weights_mb=mb, challenge=SimpleNamespace(value=right / 135),
                                     challenge_right=(True,) * right + (False,) * (135 - right))
               for name, (mb, right) in measured.items()}
    # wrong: the best challenge accuracy, forgetting the 40 MB limit
    exercises.check_fourth_team(answers.fourth_team(results) if right else "student-int8",
                                results)


class _Answers:
    """A stand-in analyzer: the polarity it gives each text."""

    def __init__(self, answers: dict):
        self.answers = answers

    def predict_polarity(self, texts):
        return [self.answers[t] for t in texts]


def _fewer_reviews_prediction(right, _):
    from course_utils.exercises import application as exercises
    from course_utils.exercises.solutions import application as answers

    validation = {"text": [f"review {i}" for i in range(100)], "label": [i % 2 for i in range(100)]}
    truth = dict(zip(validation["text"], validation["label"]))
    analyzers = {"teacher-fp32": _Answers(truth), "teacher-int8": _Answers(truth)}  # a copy
    # wrong: "a variant that never changes an answer is always within the margin"
    answer = answers.FEWER_REVIEWS_PREDICTION if right else "yes"
    exercises.check_fewer_reviews_prediction(answer, analyzers, validation)


def test_the_fourth_team_accepts_what_the_challenge_set_cannot_tell_apart():
    """06 exercise 2: 78 and 79 of 135 hard reviews are the same within noise (both fit in
    40 MB); 60 of 135 is worse beyond chance; 84 does not fit."""
    from types import SimpleNamespace

    from course_utils.exercises.application import fourth_team_pick

    def variant(mb, right):
        return SimpleNamespace(weights_mb=mb, challenge=SimpleNamespace(value=right / 135),
                               challenge_right=(True,) * right + (False,) * (135 - right))

    results = {"a": variant(17.0, 78), "b": variant(22.7, 79), "c": variant(10.0, 60),
               "d": variant(50.9, 84)}
    assert fourth_team_pick(results) == ["a", "b"]


CHECKERS = {
    "00 positive_probability": _positive_probability,
    "00 hardest_category": _hardest_category,
    "00 fooling_review": _fooling_review,
    "00 truncation_prediction": _truncation_prediction,
    "01 bert_large": _bert_large,
    "01 albert_xxlarge": _albert_xxlarge,
    "01 fastest": _fastest,
    "03 soft_target_loss": _soft_target_loss,
    "03 mapped_module": _mapped_module,
    "03 total_ratio": _total_ratio,
    "03 temperature_prediction": _temperature_prediction,
    "04 break_even": _break_even,
    "04 attention_only": _attention_only,
    "04 depth_prediction": _depth_prediction,
    "05 lowercase_prediction": _lowercase_prediction,
    "06 budget_batches": _budget_batches,
    "06 fourth_team": _fourth_team,
    "06 fewer_reviews_prediction": _fewer_reviews_prediction,
}
"""Each runs its checker on the reference solution's answer (``right=True``) or on a
plausible mistake (``right=False``)."""


@pytest.mark.parametrize("name", list(CHECKERS))
def test_checker_passes_the_reference_answer(name, capsys, tiny_bert_classifier):
    CHECKERS[name](True, tiny_bert_classifier)
    out = capsys.readouterr().out
    assert out.startswith("✅") and out.count("\n") == 1, out


@pytest.mark.parametrize("name", list(CHECKERS))
def test_checker_rejects_a_plausible_mistake(name, capsys, monkeypatch, tiny_bert_classifier):
    CHECKERS[name](False, tiny_bert_classifier)
    out = capsys.readouterr().out
    assert out.startswith("❌ Not yet: ") and "✅" not in out, out
    monkeypatch.setenv(STRICT_VARIABLE, "1")  # the test run's mode: a wrong answer raises
    with pytest.raises(WrongAnswer):
        CHECKERS[name](False, tiny_bert_classifier)
