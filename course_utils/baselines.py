"""A lexicon baseline to beat: VADER (Hutto & Gilbert, 2014), rule-based, no training."""

from __future__ import annotations

import functools

from .core.sentiment import validated_texts

VADER_NEUTRAL = 0.05
"""Compound scores inside (-0.05, 0.05) are neutral (Hutto & Gilbert's threshold)."""


@functools.cache
def _vader():
    """One VADER analyzer (it reads its lexicon file when built)."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:
        raise ImportError("VADER is missing: pip install vaderSentiment "
                          "(or the course's [offline] extra)") from error
    return SentimentIntensityAnalyzer()


def vader_compound(texts) -> list[float]:
    """VADER's compound score of each text, from -1 (most negative) to 1."""
    return [_vader().polarity_scores(t)["compound"] for t in validated_texts(texts)]


def vader_polarity(texts, threshold: float = 0.0) -> list[int]:
    """1 (positive) when VADER's compound score is at least ``threshold``, else 0."""
    return [int(score >= threshold) for score in vader_compound(texts)]


def vader_label(text: str) -> int | None:
    """VADER's reading of one text: 1 positive, 0 negative, ``None`` when neutral."""
    score = vader_compound([text])[0]
    return None if abs(score) < VADER_NEUTRAL else int(score > 0)
