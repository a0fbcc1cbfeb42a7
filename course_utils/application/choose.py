"""Lesson 06's decision: each team's pick follows from the measured table by a stated rule,
and the Pareto front shows which variants no other beats on both accuracy and latency."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


def within_reference(table: pd.DataFrame, reference: str = "teacher-fp32") -> pd.DataFrame:
    """The rows whose test accuracy lies inside the reference's 95% interval (on 180 reviews,
    accuracies closer than that cannot be told apart)."""
    interval = table.loc[reference, "_test"]
    keep = table["_test"].map(lambda a: interval.low <= a.value <= interval.high)
    return table[keep]


@dataclass(frozen=True)
class Team:
    """One of lesson 00's three teams: what it needs, and the rule that picks its variant."""

    name: str
    needs: str
    rule: str
    column: str
    largest: bool
    within_reference: bool
    fp32_only: bool = False
    cpu_only: bool = False

    def pick(self, table: pd.DataFrame) -> str:
        """The variant the rule picks from ``table`` (ties: the faster one)."""
        pool = within_reference(table) if self.within_reference else table
        if self.fp32_only:
            pool = pool[pool.index.str.endswith("fp32")]
        if self.cpu_only:  # a budget server and a phone have no GPU
            pool = pool[~pool.index.str.contains("-cuda-")]
        key = (pool["_test"].map(lambda a: a.value) if self.column == "_test"
               else pool[self.column])
        ranked = pd.DataFrame({"key": key if self.largest else -key,
                               "speed": pool["reviews/s"]})
        return ranked.sort_values(["key", "speed"], ascending=False).index[0]


TEAMS = (
    Team("accuracy first", "every review right that can be",
         "the fp32 model with the highest test accuracy (a cheaper format of a model is at "
         "best as accurate as it, within the noise)", "_test", largest=True,
         within_reference=False, fp32_only=True),
    Team("one budget CPU server", "the most reviews per second per server",
         "the highest throughput on the CPU within the teacher's test-accuracy interval",
         "reviews/s", largest=True, within_reference=True, cpu_only=True),
    Team("on the device", "the least memory on a phone or a small box",
         "the smallest weights within the teacher's test-accuracy interval (an app holds "
         "the weights, not a Python process)", "weights MB", largest=False,
         within_reference=True, cpu_only=True),
)


def decisions(table: pd.DataFrame) -> pd.DataFrame:
    """Each team's rule and pick, with the pick's measured figures."""
    rows = []
    for team in TEAMS:
        pick = team.pick(table)
        rows.append({"team": team.name, "needs": team.needs, "rule": team.rule, "pick": pick,
                     "test accuracy": table.loc[pick, "test accuracy"],
                     "reviews/s": round(table.loc[pick, "reviews/s"], 1),
                     "weights MB": round(table.loc[pick, "weights MB"], 1),
                     "peak MB": round(table.loc[pick, "peak MB (fresh process)"])})
    return pd.DataFrame(rows).set_index("team")


def pareto_front(table: pd.DataFrame, latency: str = "latency p50 ms") -> list[str]:
    """The variants that no other beats on both test accuracy and latency."""
    points = {n: (table.loc[n, "_test"].value, table.loc[n, latency]) for n in table.index}
    return [n for n, (acc, lat) in points.items()
            if not any(a >= acc and t <= lat and (a, t) != (acc, lat)
                       for a, t in points.values())]


def plot_pareto(table: pd.DataFrame, latency: str = "latency p50 ms"):
    """Test accuracy against the latency of one review; marker area = the variant's weights;
    the Pareto front joined by a line."""
    import matplotlib.pyplot as plt

    from ..plots import finish_figure

    fig, ax = plt.subplots(figsize=(8, 4.8))
    accuracy = table["_test"].map(lambda a: a.value * 100)
    weights = table["weights MB"]
    ax.scatter(table[latency], accuracy, s=20 + weights / weights.max() * 600, alpha=0.5)
    for name in table.index:
        ax.annotate(name, (table.loc[name, latency], accuracy[name]), fontsize=8,
                    xytext=(4, 4), textcoords="offset points")
    front = sorted(pareto_front(table, latency), key=lambda n: table.loc[n, latency])
    ax.plot(table.loc[front, latency], accuracy[front], "k--", lw=1, label="Pareto front")
    ax.set(xscale="log", xlabel="latency of one review, p50 (ms, log scale)",
           ylabel="test accuracy (%)",
           title="Accuracy against latency (marker area: weights in memory)")
    ax.legend(loc="lower right")
    return finish_figure(fig)
