"""Dark knowledge (Hinton et al. 2015, §2): what a teacher's softened outputs say beyond the
hard label, measured on the reviews' star ratings.

The course's teacher is binary (negative/positive), so it has no wrong answer that is nearly
right, and fine-tuned on hard labels it ends up equally sure of a 2-star and a 1-star review
(:func:`separation`). A teacher with near-miss classes shows what dark knowledge is:
:func:`fit_star_teacher` reads the same teacher's features and predicts the star rating (1, 2,
4 or 5); its wrong-class probability goes mostly to the neighbouring star
(:func:`near_miss_ratio`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from .distillation import encode, soften, teacher_outputs

TEMPERATURES = (1, 2, 4, 8)
STARS = (1, 2, 4, 5)
NEIGHBOUR = {1: 2, 2: 1, 4: 5, 5: 4}
"""Each star rating's near miss: the other rating of the same polarity."""


def teacher_view(teacher, tokenizer, split, max_length: int = 128):
    """The teacher's logits and its [CLS] features (the last hidden state at the first token;
    the classifier head reads them through BERT's tanh pooler) on every review of ``split``,
    in order."""
    logits, hidden = teacher_outputs(teacher, encode(split, tokenizer, max_length), tokenizer)
    return logits, torch.stack([h[0] for h in hidden]).numpy()


@dataclass
class StarTeacher:
    """A four-class teacher whose wrong answers can be nearly right: a logistic regression
    (scikit-learn) on the binary teacher's [CLS] features, fit to the star ratings."""

    classifier: object

    @property
    def classes(self) -> list[str]:
        return [f"{s}★" for s in self.classifier.classes_]

    def logits(self, features) -> torch.Tensor:
        """Class scores (the regression's decision function), one row per review."""
        return torch.from_numpy(self.classifier.decision_function(features)).float()


def fit_star_teacher(features, stars) -> StarTeacher:
    """Fit :class:`StarTeacher` on ``features`` (from :func:`teacher_view`) and their stars."""
    from sklearn.linear_model import LogisticRegression

    return StarTeacher(LogisticRegression(max_iter=2000).fit(features, stars))


def softened(logits: torch.Tensor, classes, temperatures=TEMPERATURES) -> pd.DataFrame:
    """One review's distribution over ``classes`` at each temperature (a row per T)."""
    rows = {f"T = {t}": soften(logits[None], t)[0].numpy() for t in temperatures}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(classes))


def positive_by_stars(logits: torch.Tensor, stars, positive: int = 1,
                      temperatures=TEMPERATURES) -> pd.DataFrame:
    """A binary teacher's mean P(positive) over the reviews of each true rating (rows), at
    each temperature (columns)."""
    table = pd.DataFrame({f"T = {t}": soften(logits, t)[:, positive].numpy()
                          for t in temperatures})
    return by_true_stars(table, table.columns, stars)


def by_true_stars(probabilities, classes, stars) -> pd.DataFrame:
    """Mean probability of each class (columns) over the reviews of each true rating (rows)."""
    table = pd.DataFrame(np.asarray(probabilities), columns=list(classes))
    table.index = pd.Index([f"{s}★" for s in stars], name="true rating")
    return table.groupby(level=0).mean()


def near_miss_ratio(probabilities, classes, stars) -> float:
    """Mean probability given to a review's neighbouring star, divided by the mean probability
    given to each star of the other polarity: how much more a wrong answer that is nearly right
    gets than one that is plainly wrong."""
    p = pd.DataFrame(np.asarray(probabilities), columns=list(classes))
    near = [p.at[i, f"{NEIGHBOUR[s]}★"] for i, s in enumerate(stars)]
    far = [np.mean([p.at[i, f"{o}★"] for o in STARS if (o > 3) != (s > 3)])
           for i, s in enumerate(stars)]
    return float(np.mean(near) / np.mean(far))


def separation(scores, stars, low: int, high: int) -> float:
    """How well ``scores`` tell reviews rated ``high`` from reviews rated ``low``: the area
    under the ROC curve (0.5 is chance, 1 is perfect)."""
    from sklearn.metrics import roc_auc_score

    stars, scores = np.asarray(stars), np.asarray(scores)
    keep = np.isin(stars, (low, high))
    return float(roc_auc_score(stars[keep] == high, scores[keep]))


def plot_temperatures(table: pd.DataFrame, title: str):
    """Stacked bars of one review's distribution (a :func:`softened` table), one bar per T."""
    import matplotlib.pyplot as plt

    from .plots import finish_figure

    colours = ["#8C1D18", "#DD8452", "#8FBF7F", "#2E7D32"]
    fig, ax = plt.subplots(figsize=(8, 2.6))
    left = np.zeros(len(table))
    for column, colour in zip(table.columns, colours):
        ax.barh(table.index, table[column], left=left, color=colour, label=column)
        left += table[column].to_numpy()
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("probability")
    ax.legend(ncol=len(table.columns), loc="upper center", bbox_to_anchor=(0.5, -0.3),
              fontsize=8)
    ax.set_title(title)
    return finish_figure(fig)


def temperature_explorer(logits: torch.Tensor, classes, names):
    """A slider for T: the softened distribution of each review (rows named ``names``)."""
    import ipywidgets as widgets
    from IPython.display import display

    slider = widgets.FloatLogSlider(value=1, base=2, min=-1, max=4, step=0.25,
                                    description="T")
    output = widgets.Output()

    def show(*_):
        table = pd.DataFrame(soften(logits, slider.value).numpy(), columns=list(classes),
                             index=list(names))
        output.clear_output(wait=True)
        with output:
            display(table.round(3))

    slider.observe(show, "value")
    show()
    return widgets.VBox([slider, output])
