"""Lesson 06's decision: each team's pick follows from the measured results by a stated rule,
and the Pareto front shows which variants no other beats on both accuracy and latency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .measure import VariantResult

Results = dict[str, VariantResult]


def within_reference(results: Results, reference: str = "teacher-fp32") -> Results:
    """The variants whose test accuracy lies inside the reference's 95% interval (on 180
    reviews, accuracies closer than that cannot be told apart)."""
    interval = results[reference].test
    return {name: r for name, r in results.items()
            if interval.low <= r.test.value <= interval.high}


@dataclass(frozen=True)
class Team:
    """One of lesson 00's three teams: what it needs, and the rule that picks its variant
    (``key``: what it ranks by; ``largest``: more is better)."""

    name: str
    needs: str
    rule: str
    key: Callable[[VariantResult], float]
    largest: bool
    within_reference: bool
    fp32_only: bool = False
    cpu_only: bool = False

    def pick(self, results: Results) -> str:
        """The variant the rule picks from ``results`` (ties: the faster one)."""
        pool = within_reference(results) if self.within_reference else results
        pool = {name: r for name, r in pool.items()
                if (not self.fp32_only or name.endswith("fp32"))
                and (not self.cpu_only or "-cuda-" not in name)}  # a server, a phone: no GPU
        sign = 1 if self.largest else -1
        return max(pool, key=lambda n: (sign * self.key(pool[n]), pool[n].reviews_per_s))


TEAMS = (
    Team("accuracy first", "every review right that can be",
         "the fp32 model with the highest test accuracy (a cheaper format of a model is at "
         "best as accurate as it, within the noise)", lambda r: r.test.value, largest=True,
         within_reference=False, fp32_only=True),
    Team("one budget CPU server", "the most reviews per second per server",
         "the highest throughput on the CPU within the teacher's test-accuracy interval",
         lambda r: r.reviews_per_s, largest=True, within_reference=True, cpu_only=True),
    Team("on the device", "the least memory on a phone or a small box",
         "the smallest weights within the teacher's test-accuracy interval (an app holds "
         "the weights, not a Python process)", lambda r: r.weights_mb, largest=False,
         within_reference=True, cpu_only=True),
)


def decisions(results: Results) -> pd.DataFrame:
    """Each team's rule and pick, with the pick's measured figures."""
    rows = []
    for team in TEAMS:
        pick = team.pick(results)
        r = results[pick]
        rows.append({"team": team.name, "needs": team.needs, "rule": team.rule, "pick": pick,
                     "test accuracy": str(r.test), "reviews/s": round(r.reviews_per_s, 1),
                     "weights MB": round(r.weights_mb, 1),
                     "peak MB": round(r.profile.get("peak MB (fresh process)", float("nan")))})
    return pd.DataFrame(rows).set_index("team")


def pareto_front(results: Results) -> list[str]:
    """The variants that no other beats on both test accuracy and latency (p50)."""
    points = {n: (r.test.value, r.latency.median) for n, r in results.items()}
    return [n for n, (acc, lat) in points.items()
            if not any(a >= acc and t <= lat and (a, t) != (acc, lat)
                       for a, t in points.values())]


def plot_pareto(results: Results):
    """Test accuracy against the latency of one review; marker area = the variant's weights;
    the Pareto front joined by a line."""
    import matplotlib.pyplot as plt

    from ..plots import finish_figure

    names = list(results)
    latency = {n: results[n].latency.median * 1e3 for n in names}
    accuracy = {n: results[n].test.value * 100 for n in names}
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
           ylabel="test accuracy (%)",
           title="Accuracy against latency (marker area: weights in memory)")
    ax.legend(loc="lower right")
    return finish_figure(fig)
