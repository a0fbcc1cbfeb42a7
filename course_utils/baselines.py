"""A lexicon baseline to beat: VADER (Hutto & Gilbert, 2014), rule-based, no training."""

from __future__ import annotations

from .sentiment import check_texts


def vader_polarity(texts, threshold: float = 0.0) -> list[int]:
    """1 (positive) when VADER's compound score is at least ``threshold``, else 0."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:
        raise ImportError("VADER is missing: pip install vaderSentiment "
                          "(or the course's [offline] extra)") from error
    analyzer = SentimentIntensityAnalyzer()
    return [int(analyzer.polarity_scores(t)["compound"] >= threshold) for t in check_texts(texts)]
