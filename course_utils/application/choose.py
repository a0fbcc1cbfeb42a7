"""Lesson 06's decision: each team's pick follows from the measured results by a stated rule,
on the validation reviews (the test reviews report each pick once), and the Pareto front shows
which variants no other beats on both validation accuracy and latency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..core.evaluation import difference
from .measure import MARGIN, VariantResult

Results = dict[str, VariantResult]


def within_margin(results: Results) -> Results:
    """The variants shown on the validation reviews to lose at most the margin
    (:data:`measure.MARGIN`) against the reference they were measured with: the lower end of
    the paired 95% interval of their accuracy minus the reference's is above minus the margin
    (a non-inferiority test)."""
    return {name: r for name, r in results.items() if r.vs_reference.non_inferior}


@dataclass(frozen=True)
class Team:
    """One of lesson 00's three teams: what it needs, and the rule that picks its variant
    (``key``: what it ranks by; ``largest``: more is better)."""

    name: str
    needs: str
    rule: str
    key: Callable[[VariantResult], float]
    largest: bool
    within_margin: bool
    fp32_only: bool = False
    cpu_only: bool = False

    def pick(self, results: Results) -> str:
        """The variant the rule picks from ``results`` (ties: the faster one)."""
        pool = within_margin(results) if self.within_margin else results
        pool = {name: r for name, r in pool.items()
                if (not self.fp32_only or name.endswith("fp32"))
                and (not self.cpu_only or "-cuda-" not in name)}  # a server, a phone: no GPU
        sign = 1 if self.largest else -1
        return max(pool, key=lambda n: (sign * self.key(pool[n]), pool[n].reviews_per_s))


TEAMS = (
    Team("accuracy first", "every review right that can be",
         "the fp32 model with the highest validation accuracy (a cheaper format of a model "
         "is at best as accurate as it, within the noise)", lambda r: r.validation.value,
         largest=True, within_margin=False, fp32_only=True),
    Team("one budget CPU server", "the most reviews per second per server",
         f"the highest throughput on the CPU, among the variants shown on validation to lose "
         f"at most {MARGIN * 100:.0f} points against the teacher", lambda r: r.reviews_per_s,
         largest=True, within_margin=True, cpu_only=True),
    Team("on the device", "the least memory on a phone or a small box",
         f"the smallest weights among the variants shown on validation to lose at most "
         f"{MARGIN * 100:.0f} points against the teacher (an app holds the weights, not a "
         "Python process)",
         lambda r: r.weights_mb, largest=False, within_margin=True, cpu_only=True),
)


def decisions(results: Results, test_labels, reference: str = "teacher-fp32") -> pd.DataFrame:
    """Each team's rule and pick, with the pick's measured figures: the validation accuracy it
    was chosen by, then, reported once, its test accuracy and its paired difference from the
    ``reference`` on the test reviews (``test_labels``), against the same margin (a
    :class:`~course_utils.core.evaluation.Difference`, shown as text)."""
    rows = []
    for team in TEAMS:
        pick = team.pick(results)
        r = results[pick]
        on_test = difference(test_labels, results[reference].predicted, r.predicted, MARGIN)
        rows.append({"team": team.name, "needs": team.needs, "rule": team.rule, "pick": pick,
                     "validation accuracy": str(r.validation),
                     "test accuracy (reported once)": str(r.test),
                     "vs teacher on test": on_test,  # a Difference: the claim check reads it
                     "reviews/s": round(r.reviews_per_s, 1),
                     "weights MB": round(r.weights_mb, 1),
                     "peak MB": round(r.profile.get("peak MB (fresh process)", float("nan")))})
    return pd.DataFrame(rows).set_index("team")


def pareto_front(results: Results) -> list[str]:
    """The variants that no other beats on both validation accuracy and latency (p50)."""
    points = {n: (r.validation.value, r.latency.median) for n, r in results.items()}
    return [n for n, (acc, lat) in points.items()
            if not any(a >= acc and t <= lat and (a, t) != (acc, lat)
                       for a, t in points.values())]


def plot_pareto(results: Results):
    """Validation accuracy (what the teams choose by) against the latency of one review;
    marker area = the variant's weights; the Pareto front joined by a line."""
    import matplotlib.pyplot as plt

    from ..plots import finish_figure

    names = list(results)
    latency = {n: results[n].latency.median * 1e3 for n in names}
    accuracy = {n: results[n].validation.value * 100 for n in names}
    heaviest = max(r.weights_mb for r in results.values())
    fig, ax = plt.subplots(figsize=(8, 4.8))
    ax.scatter([latency[n] for n in names], [accuracy[n] for n in names],
               s=[20 + results[n].weights_mb / heaviest * 600 for n in names], alpha=0.5)
    for name in names:
        ax.annotate(name, (latency[name], accuracy[name]), fontsize=8,
                    xytext=(4, 4), textcoords="offset points")
    front = sorted(pareto_front(results), key=latency.get)
    ax.plot([latency[n] for n in front], [accuracy[n] for n in front], "k--", lw=1,
            label="Pareto front")
    ax.set(xscale="log", xlabel="latency of one review, p50 (ms, log scale)",
           ylabel="validation accuracy (%)",
           title="Accuracy against latency (marker area: weights in memory)")
    ax.legend(loc="lower right")
    return finish_figure(fig)
