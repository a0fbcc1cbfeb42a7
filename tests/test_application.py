"""Lesson 06's machinery: the seed's loop, token-budget batching, the teams' rules."""

import pytest

from course_utils import application as app
from course_utils.core.evaluation import accuracy, difference
from course_utils.core.measurement import Timing
from course_utils.core.sentiment import SentimentAnalyzer
from course_utils.models import load_tokenizer

TEXTS = ["Great kettle, boils fast.", "Broke after a week.", "Fine.",
         "The staff were kind and the room was spotless. " * 3]


@pytest.fixture
def classifier(tiny_bert_classifier):
    tokenizer = load_tokenizer()
    return tiny_bert_classifier(vocab_size=tokenizer.vocab_size, seed=4), tokenizer


def test_the_seed_loop_crashes_on_a_long_review_until_it_truncates(classifier):
    model, tokenizer = classifier
    tokenizer.model_max_length = 64  # the tiny model's positions (the real ones: 512)
    long = "a very long review " * 40
    with pytest.raises((RuntimeError, IndexError)):
        app.analyze_sentiment(long, model, tokenizer)
    label, probability = app.analyze_sentiment(long, model, tokenizer, truncation=True)
    assert label in {"NEGATIVE", "POSITIVE"} and 0.5 <= probability <= 1


def test_the_analyzer_and_the_pipeline_give_the_seed_loops_answers(classifier):
    model, tokenizer = classifier
    seed = app.seed_loop(TEXTS, model, tokenizer)
    for budget in (16, 1024):
        analyzer = SentimentAnalyzer(model, tokenizer, token_budget=budget)
        assert [p.label for p in analyzer.predict(TEXTS)] == seed
    classify = app.text_classifier(model, tokenizer)
    assert app.pipeline_labels(classify, TEXTS, batch_size=3) == seed


def test_padding_share_of_each_batching_is_exact(classifier):
    model, tokenizer = classifier
    texts = ["good", "bad bad bad bad bad bad bad", "fine fine", "ok"]  # 3, 9, 4, 3 tokens
    table = app.padding_and_speed(lambda **kw: SentimentAnalyzer(model, tokenizer, **kw),
                                  texts, {"all": {"batch_size": 4}, "one": {"batch_size": 1},
                                          "budget": {"token_budget": 12}})
    assert table.loc["one", "padding share"] == 0 and table.loc["one", "batches"] == 4
    assert table.loc["all", "padding share"] == pytest.approx(1 - 19 / 36)  # all padded to 9
    # a budget of 12 positions: [3, 3, 4] pads to 12, then 9 alone: 1 of 21 positions padded
    assert table.loc["budget", "batches"] == 2
    assert table.loc["budget", "padding share"] == pytest.approx(2 / 21)
    assert table["largest batch (positions)"].to_dict() == {"all": 36, "one": 9, "budget": 12}
    assert (table["reviews/s"] > 0).all()


def test_review_flops_count_each_review_at_its_own_length(classifier):
    """Two layers, H = 32, F = 64 (the tiny classifier): per token 2 x 2 x (4 H^2 + 2 H F
    + 2 L H) = 32,768 + 256 L FLOPs; no padding, so a review of 5 and one of 9 tokens cost
    5 x 34,048 + 9 x 35,072 = 485,888, less than both at 9 (631,296)."""
    config = classifier[0].config
    assert (config.hidden_size, config.intermediate_size, config.num_hidden_layers) == (32, 64, 2)
    assert app.review_flops(config, [5, 9]) == 485_888
    assert app.review_flops(config, [9, 9]) == 631_296


TRUTH = [1] * 50 + [0] * 50  # validation: 100 reviews, as the corpus has


def _result(wrong: int, speed: float, weights: float, peak: float) -> app.VariantResult:
    """A variant wrong on the first ``wrong`` validation reviews, where the teacher (wrong on
    the first 10) is wrong too as far as they overlap: paired with it, it loses
    ``wrong - 10`` reviews and disagrees on no other."""
    chosen = [1 - y if i < wrong else y for i, y in enumerate(TRUTH)]
    teacher = [1 - y if i < 10 else y for i, y in enumerate(TRUTH)]
    predicted = [1] * 90 + [0] * 90
    timing = Timing.of([1 / speed] * 3)
    return app.VariantResult(
        validation=accuracy(TRUTH, chosen),
        vs_reference=difference(TRUTH, teacher, chosen, app.MARGIN),
        test=accuracy(predicted, predicted), challenge=accuracy(predicted, predicted),
        predicted=tuple(predicted), timing=timing, latency=timing, reviews_per_s=speed,
        agrees_with_teacher=1.0, agrees_with_its_fp32=1.0, runs_on="cpu", gflops_per_s=1.0,
        share_of_peak=0.1, weights_mb=weights, on_disk_mb=weights,
        profile={"peak MB (fresh process)": peak})


def _results():
    """Five variants: the reference; a faster one that loses 1 validation review (shown
    within 8 points); a smaller one that loses 1; a faster and smaller one that loses 6
    (within 8 points, perhaps, but not shown so on 100 reviews); the lexicon, far worse."""
    return {"teacher-fp32": _result(10, 100.0, 80.0, 600),
            "teacher-int8": _result(11, 300.0, 22.0, 550),
            "teacher-onnx-int8": _result(11, 250.0, 19.0, 560),
            "student-int8": _result(16, 900.0, 10.0, 500),
            "vader": _result(40, 5000.0, 0.4, 270)}


def test_each_team_picks_on_validation_by_its_rule_and_margin():
    results = _results()
    assert set(app.within_margin(results)) == {"teacher-fp32", "teacher-int8",
                                               "teacher-onnx-int8"}
    assert results["student-int8"].vs_reference.low < -app.MARGIN < results[
        "teacher-int8"].vs_reference.low  # 6 reviews lost: not shown within 8 points
    picks = app.decisions(results, [1] * 90 + [0] * 90)
    assert picks["pick"]["accuracy first"] == "teacher-fp32"  # the fp32 rows only
    assert picks["pick"]["one budget CPU server"] == "teacher-int8"  # faster ones: not shown
    assert picks["pick"]["on the device"] == "teacher-onnx-int8"
    assert picks.loc["on the device", "test accuracy (reported once)"] == str(
        results["teacher-onnx-int8"].test)
    assert str(picks.loc["on the device", "vs teacher on test"]).startswith("+0.0 points (n=180")
    table = app.variants_table(results)
    assert table.loc["vader", "validation accuracy"] == str(results["vader"].validation)
    assert table.loc["student-int8", "vs teacher (points, 95% CI)"] == "-6 (-11.2 to -0.6)"
    assert "test accuracy" not in table  # reported once, for the picks
    assert table.loc["vader", "peak MB (fresh process)"] == 270


def test_the_server_and_the_device_pick_among_the_cpu_rows_only():
    """A GPU row faster and smaller than every CPU row is the accuracy team's to take, never
    the budget server's or the device's (neither has a GPU)."""
    results = _results()
    results["teacher-cuda-fp16"] = _result(10, 9000.0, 10.0, 550)
    results["teacher-cuda-fp32"] = _result(10, 8000.0, 80.0, 600)
    picks = app.decisions(results, [1] * 90 + [0] * 90)["pick"]
    assert picks["one budget CPU server"] == "teacher-int8"
    assert picks["on the device"] == "teacher-onnx-int8"
    assert picks["accuracy first"] == "teacher-cuda-fp32"  # as accurate, faster: any device
    assert app.fp32_of("student-cuda-fp16") == "student-cuda-fp32"
    assert app.fp32_of("student-int8") == "student-fp32" and app.fp32_of("vader") is None


def test_the_pareto_front_drops_what_another_beats_on_both():
    front = set(app.pareto_front(_results()))
    # teacher-onnx-int8: slower than teacher-int8 and no more accurate
    assert front == {"teacher-fp32", "teacher-int8", "student-int8", "vader"}


@pytest.mark.slow
def test_a_fresh_process_reports_its_load_time_and_peak_memory():
    profile = app.fresh_profiles(["vader"], TEXTS)["vader"]
    assert 0 <= profile["load s"] < 30 and 50 < profile["peak MB (fresh process)"] < 3000


def test_the_fresh_processes_start_from_modules_that_exist():
    """A misspelt name in ``preload`` would be skipped in silence (the forkserver ignores an
    ImportError), and every variant's load time would include those imports again; only
    ONNX Runtime may be missing (the deploy extra)."""
    import importlib.util

    from course_utils.application.measure import SERVER_IMPORTS

    for module in SERVER_IMPORTS:
        if module == "onnxruntime" and importlib.util.find_spec(module) is None:
            continue
        importlib.import_module(module)


class _Oracle:
    """A stand-in variant that knows each review's label (no model: sized as the lexicon),
    and counts the reviews it scored."""

    def __init__(self, truth: dict[str, int]):
        self.truth, self.scored = truth, []

    def predict_polarity(self, texts):
        self.scored.append(len(texts))
        return [self.truth[t] for t in texts]

    def predict(self, texts):
        return self.predict_polarity(texts)


def test_measure_variants_times_half_the_test_reviews_and_scores_all_in_order():
    """An oracle must come out 100% right on every test review: the two halves' predictions
    are put back in the split's order (concatenated, they would be about half wrong); the
    timed passes score only the timed half."""
    test = {"text": [f"review {i}" for i in range(20)], "label": [i % 2 for i in range(20)]}
    challenge = {"text": ["hard one", "hard two"], "label": [1, 0]}
    validation = {"text": ["held out", "chosen on", "third"], "label": [0, 1, 1]}
    splits = {"validation": validation, "test": test, "challenge": challenge}
    oracle = _Oracle({t: y for split in splits.values()
                      for t, y in zip(split["text"], split["label"])})
    results = app.measure_variants({"vader": oracle}, splits,
                                   peaks={}, reference="vader", latency_reviews=4, repeats=3)
    result = results["vader"]
    assert result.test.value == 1.0 and result.predicted == tuple(test["label"])
    assert result.validation.value == 1.0 and result.vs_reference.value == 0
    # challenge, validation, untimed half, 3 timed passes
    assert oracle.scored[:6] == [2, 3, 10, 10, 10, 10]
    assert app.timed_half(test["text"]) == test["text"][::2]
    assert len(result.timing.times) == 3 and result.reviews_per_s == 10 / result.timing.median
