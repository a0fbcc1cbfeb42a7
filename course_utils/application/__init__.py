"""Lesson 06: choosing and shipping a model for customer-review sentiment, by measurement.

- :mod:`.baseline`: the seed course's one-review-at-a-time code, and ``transformers.pipeline``.
- :mod:`.machine`: the machine's practical peak (a large matrix product) and the FLOPs of
  real reviews.
- :mod:`.measure`: every variant (:mod:`course_utils.deploy`) measured in one run.
- :mod:`.choose`: each team's rule and pick, and the Pareto front.
"""

from .baseline import analyze_sentiment, pipeline_labels, seed_loop, text_classifier
from .choose import TEAMS, Team, decisions, pareto_front, plot_pareto, within_margin
from .machine import machine_peaks, matmul_rate, review_flops
from .measure import (
    MARGIN,
    SERVER_IMPORTS,
    VariantResult,
    fp32_of,
    fresh_profiles,
    load_and_score,
    measure_variants,
    padding_and_speed,
    timed_half,
    variants_table,
)

__all__ = ["MARGIN", "SERVER_IMPORTS", "TEAMS", "Team", "VariantResult", "analyze_sentiment",
           "decisions", "fp32_of", "fresh_profiles", "load_and_score", "machine_peaks",
           "matmul_rate", "measure_variants", "padding_and_speed", "pareto_front",
           "pipeline_labels", "plot_pareto", "review_flops", "seed_loop", "text_classifier",
           "timed_half", "variants_table", "within_margin"]
