"""Claim checks: each lesson states a claim, the paper's figure, the figure measured here,
and whether it holds. A claim the lesson says holds must hold, or the cell fails loudly.

A measured claim also carries a **negative control**: the claim's own check applied, in the
same run, to an input built to break it (two identical models for a speed-up, the teacher
with just enough answers flipped for a retention line, ...). The check must come out the
other way on it; a check that passes its control too cannot tell the claim from its opposite,
and fails the cell like a claim that does not hold. An exact identity (a parameter count, a
formula) is a ``count`` and needs no control; a paper's figure the run cannot test is an
``anchor``, shown and never asserted.

Every :meth:`ClaimCheck.assert_all` also writes the lesson's rows, with the machine facts, to
the claim ledger (``claims/<lesson>.json`` in :func:`runtime.output_dir`);
:mod:`course_utils.report` renders all lessons' ledgers into one page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .core.runtime import machine_facts, output_dir


class ClaimFailed(AssertionError):
    """A measured claim did not come out the way the lesson says it does, or its check also
    passed its negative control."""


@dataclass(frozen=True)
class Claim:
    """One row of a claim-check table. ``control``: what was broken for the negative
    control, in words; ``control_measured`` and ``control_holds``: the claim's own check
    on it (for a claim the lesson expects to hold, ``control_holds`` must be ``False``; for a
    popular claim the lesson shows failing, ``True``)."""

    statement: str
    paper: str
    measured: str
    holds: bool | None
    expected: bool = True
    kind: str = "measured"  # or "count" (an exact identity) or "anchor" (a paper figure)
    control: str | None = None
    control_measured: str | None = None
    control_holds: bool | None = None

    @property
    def verdict(self) -> str:
        if self.holds is None:
            return "paper's figure, not reproduced here"
        if self.holds == self.expected:
            return "holds" if self.holds else "does not hold (as the lesson says)"
        return "UNEXPECTED: " + ("holds" if self.holds else "does not hold")

    @property
    def control_verdict(self) -> str:
        """Whether the check told the claim from its control: "-" where none is needed."""
        if self.kind != "measured":
            return "-"
        if self.control is None:
            return "no control yet"
        if self.control_holds != self.expected:
            return "told apart: " + ("fails" if self.expected else "holds") + " on the control"
        return "NOT A CLAIM: " + ("holds" if self.control_holds else "fails") + " on the control too"

    @property
    def failed(self) -> bool:
        """Came out other than the lesson says, or its check passed its control as well."""
        if self.holds is None:
            return False
        return self.holds != self.expected or (
            self.control is not None and self.control_holds == self.expected)


class ClaimCheck:
    """Collects a lesson's claims, shows them as a table, asserts them.

    >>> check = ClaimCheck("demo")
    >>> check.add("2 + 2 = 4", paper="4", measured="4", holds=2 + 2 == 4)
    >>> check.assert_all()
    """

    def __init__(self, lesson: str):
        self.lesson = lesson
        self.claims: list[Claim] = []

    def claim(self, statement: str, paper: str, value, check: Callable[[object], bool],
              control: tuple[str, object], expected: bool = True,
              show: Callable[[object], str] = str):
        """Record a measured claim: ``check`` (the claim's test) applied to this run's
        ``value`` and to ``control``, a pair (what was broken, in words; the value measured on
        it). ``show`` renders a value for the table."""
        what, on_control = control
        self.claims.append(Claim(statement, str(paper), show(value), bool(check(value)),
                                 expected, "measured", what, show(on_control),
                                 bool(check(on_control))))

    def count(self, statement: str, paper: str, measured: str, holds):
        """Record an exact identity (a parameter count, a formula): no control needed."""
        self.claims.append(Claim(statement, str(paper), str(measured), bool(holds), True, "count"))

    def add(self, statement: str, paper: str, measured: str, holds, expected: bool = True):
        """Record a measured claim without a control (lessons not yet given theirs: the
        report lists them as "no control yet"); ``holds`` is the outcome of its test."""
        self.claims.append(Claim(statement, str(paper), str(measured), bool(holds), expected))

    def anchor(self, statement: str, paper: str, why: str):
        """Record a paper's figure this miniature cannot test, and why (never asserted)."""
        self.claims.append(Claim(statement, str(paper), why, None, kind="anchor"))

    def table(self) -> pd.DataFrame:
        """The claim-check table: claim, paper's figure, measured here, verdict, and the
        negative control (what was broken, the check on it)."""
        return pd.DataFrame(
            [(c.statement, c.paper, c.measured, c.verdict,
              "-" if c.control is None else f"{c.control}: {c.control_measured}",
              c.control_verdict) for c in self.claims],
            columns=["claim", "paper", "measured here", "verdict", "negative control",
                     "control verdict"],
        )

    def failures(self) -> list[Claim]:
        return [c for c in self.claims if c.failed]

    def record(self, folder: Path | None = None) -> Path:
        """Write this lesson's rows and the machine facts to the claim ledger; the file."""
        folder = Path(folder or ledger_dir())
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{re.sub(r'[^a-z0-9]+', '_', self.lesson.lower()).strip('_')}.json"
        rows = [{**asdict(c), "verdict": c.verdict} for c in self.claims]
        entry = {"lesson": self.lesson, "recorded": datetime.now(UTC).isoformat(),
                 "machine": machine_facts(), "claims": rows}
        path.write_text(json.dumps(entry, indent=1, ensure_ascii=False))
        return path

    def assert_all(self) -> None:
        """Record the rows to the ledger, then raise :class:`ClaimFailed` naming every claim
        that did not turn out as stated."""
        if not self.claims:
            raise ClaimFailed(f"{self.lesson}: no claims recorded")
        self.record()
        failed = self.failures()
        if failed:
            lines = "; ".join(
                f"{c.statement} (measured {c.measured}" + (
                    f"; control {c.control}: {c.control_measured})" if c.control else ")")
                for c in failed)
            raise ClaimFailed(f"{self.lesson}: {len(failed)} claim(s) failed: {lines}")

    def _repr_html_(self) -> str:
        return self.table().to_html(index=False)

    def __repr__(self) -> str:
        return self.table().to_string(index=False)


def ledger_dir() -> Path:
    """The claim ledger's folder: ``claims/`` in the run's output folder."""
    return output_dir() / "claims"
