"""Claim checks: each lesson states a claim, the paper's figure, the figure measured here,
and whether it holds. A claim the lesson says holds must hold, or the cell fails loudly.

Every :meth:`ClaimCheck.assert_all` also writes the lesson's rows, with the machine facts, to
the claim ledger (``claims/<lesson>.json`` in :func:`runtime.output_dir`);
:mod:`course_utils.report` renders all lessons' ledgers into one page.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .core.runtime import machine_facts, output_dir


class ClaimFailed(AssertionError):
    """A measured claim did not come out the way the lesson says it does."""


@dataclass(frozen=True)
class Claim:
    """One row of a claim-check table."""

    statement: str
    paper: str
    measured: str
    holds: bool | None
    expected: bool = True

    @property
    def verdict(self) -> str:
        if self.holds is None:
            return "paper's figure, not reproduced here"
        if self.holds == self.expected:
            return "holds" if self.holds else "does not hold (as the lesson says)"
        return "UNEXPECTED: " + ("holds" if self.holds else "does not hold")


class ClaimCheck:
    """Collects a lesson's claims, shows them as a table, asserts them.

    >>> check = ClaimCheck("demo")
    >>> check.add("2 + 2 = 4", paper="4", measured="4", holds=2 + 2 == 4)
    >>> check.assert_all()
    """

    def __init__(self, lesson: str):
        self.lesson = lesson
        self.claims: list[Claim] = []

    def add(self, statement: str, paper: str, measured: str, holds, expected: bool = True):
        """Record a claim; ``holds`` is the outcome of its test (a bool)."""
        if not isinstance(holds, bool):
            holds = bool(holds)
        self.claims.append(Claim(statement, str(paper), str(measured), holds, expected))

    def anchor(self, statement: str, paper: str, why: str):
        """Record a paper's figure this miniature cannot test, and why (never asserted)."""
        self.claims.append(Claim(statement, str(paper), why, None))

    def table(self) -> pd.DataFrame:
        """The claim-check table: claim, paper's figure, measured here, verdict."""
        return pd.DataFrame(
            [(c.statement, c.paper, c.measured, c.verdict) for c in self.claims],
            columns=["claim", "paper", "measured here", "verdict"],
        )

    def failures(self) -> list[Claim]:
        return [c for c in self.claims if c.holds is not None and c.holds != c.expected]

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
            lines = "; ".join(f"{c.statement} (measured {c.measured})" for c in failed)
            raise ClaimFailed(f"{self.lesson}: {len(failed)} claim(s) failed: {lines}")

    def _repr_html_(self) -> str:
        return self.table().to_html(index=False)

    def __repr__(self) -> str:
        return self.table().to_string(index=False)


def ledger_dir() -> Path:
    """The claim ledger's folder: ``claims/`` in the run's output folder."""
    return output_dir() / "claims"
