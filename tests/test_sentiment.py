import copy

import pytest
import torch
from transformers import AutoModelForSequenceClassification

from course_utils import models
from course_utils.core.sentiment import MAX_CHARS, SentimentAnalyzer

REVIEWS = ["Great kettle, boils fast.", "Broke after a week and support ignored me.",
           "Fine.", "The hotel was spotless and the staff could not have been kinder. " * 3]


@pytest.fixture(scope="module")
def classifier():
    torch.manual_seed(0)
    model = models.load_pretrained(None, AutoModelForSequenceClassification, num_labels=2,
                                id2label={0: "NEGATIVE", 1: "POSITIVE"})
    return model, models.load_tokenizer()


def test_batched_predictions_equal_one_at_a_time(classifier):
    analyzer = SentimentAnalyzer(*classifier, batch_size=3)
    batched = analyzer.predict_proba(REVIEWS)[0]
    single = torch.cat([analyzer.predict_proba(text)[0] for text in REVIEWS])
    assert torch.allclose(batched, single, atol=1e-5)


def test_labels_come_from_id2label(classifier):
    model, tokenizer = classifier
    analyzer = SentimentAnalyzer(model, tokenizer)
    predictions = analyzer.predict(REVIEWS)
    assert {p.label for p in predictions} <= {"NEGATIVE", "POSITIVE"}
    polarity = analyzer.predict_polarity(REVIEWS)
    assert polarity == [int(p.label == "POSITIVE") for p in predictions]


def test_positive_index_is_read_from_the_names_not_assumed(classifier):
    model, tokenizer = classifier
    flipped = AutoModelForSequenceClassification.from_config(copy.deepcopy(model.config))
    flipped.load_state_dict(model.state_dict())
    flipped.config.id2label = {0: "POSITIVE", 1: "NEGATIVE"}
    analyzer = SentimentAnalyzer(flipped, tokenizer)
    assert analyzer.positive_index == 0
    labels = [p.label for p in analyzer.predict(REVIEWS)]
    assert analyzer.predict_polarity(REVIEWS) == [int(lab == "POSITIVE") for lab in labels]


def test_ambiguous_label_names_need_a_hint(classifier):
    model, tokenizer = classifier
    generic = AutoModelForSequenceClassification.from_config(copy.deepcopy(model.config))
    generic.config.id2label = {0: "LABEL_0", 1: "LABEL_1"}
    with pytest.raises(ValueError, match="positive_label"):
        SentimentAnalyzer(generic, tokenizer)
    assert SentimentAnalyzer(generic, tokenizer, positive_label="LABEL_1").positive_index == 1


def test_long_texts_are_truncated_and_flagged(classifier):
    analyzer = SentimentAnalyzer(*classifier, max_length=32)
    short, long = analyzer.predict(["Lovely.", "word " * 500])
    assert not short.truncated and long.truncated and long.n_tokens > 500


@pytest.mark.parametrize("bad, error, message", [
    ([], ValueError, "no texts"),
    (["ok", "   "], ValueError, "text 1 is empty"),
    (["ok", 3], TypeError, "text 1 is a int"),
    (42, TypeError, "string or a list"),
    (["x" * (MAX_CHARS + 1)], ValueError, "split it"),
])
def test_bad_input_gets_a_clear_error(classifier, bad, error, message):
    with pytest.raises(error, match=message):
        SentimentAnalyzer(*classifier).predict(bad)


def test_padding_share_counts_padded_positions():
    from course_utils.core.inference import length_batches, padding_share

    lengths = [2, 9, 3, 8]
    assert padding_share(lengths, length_batches(lengths, 1)) == 0.0
    # sorted: [2, 3] pads to 3, [8, 9] to 9 -> 22 real of 24 positions
    assert padding_share(lengths, length_batches(lengths, 2)) == pytest.approx(1 - 22 / 24)
    # in order: [2, 9] pads to 9, [3, 8] to 8 -> 22 real of 34
    assert padding_share(lengths, length_batches(lengths, 2, sort=False)) == pytest.approx(
        1 - 22 / 34)
    assert padding_share(lengths, length_batches(lengths, 4)) == pytest.approx(1 - 22 / 36)
    # a budget of 18 positions: [2, 3, 8] pads to 24 > 18, so [2, 3] then [8, 9]
    assert length_batches(lengths, token_budget=18) == [[0, 2], [3, 1]]


def test_token_counts_are_what_the_model_sees(classifier):
    analyzer = SentimentAnalyzer(*classifier, max_length=16)
    counts = analyzer.token_counts(REVIEWS)
    assert counts == [p.n_tokens if not p.truncated else 16 for p in analyzer.predict(REVIEWS)]
    assert counts[2] == 4 and counts[-1] == 16  # [CLS] fine . [SEP]; the long one truncated
