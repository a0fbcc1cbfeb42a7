"""The claims report: every lesson's claim ledger (written by ``ClaimCheck.assert_all``)
rendered into one HTML page an instructor can open after a run.

``python -m course_utils.report`` (or ``make report``) writes ``claims.html`` next to the
ledger and prints its path and a one-line summary such as
"32 claims: 30 hold, 2 do not hold as the lessons say, 0 unexpected (+5 paper anchors)";
``--table`` first prints every tested claim on a line of its own (what CI logs keep).
"""

from __future__ import annotations

import argparse
import html
import json
from pathlib import Path

import pandas as pd

from .claims import ledger_dir


def load_ledger(folder: Path | None = None) -> pd.DataFrame:
    """One row per recorded claim of every lesson in ``folder`` (default: the run's ledger)."""
    folder = Path(folder or ledger_dir())
    rows = []
    for path in sorted(folder.glob("*.json")):
        entry = json.loads(path.read_text())
        machine = entry["machine"]
        context = (f"{machine.get('device', 'cpu')}, {machine['threads']} threads, "
                   f"{machine['kernels']}, precision {machine.get('precision', '?')}, "
                   f"seed {machine['seed']}, {machine['mode']}")
        for claim in entry["claims"]:
            rows.append({"lesson": entry["lesson"], **claim, "machine": context,
                         "recorded": entry["recorded"]})
    if not rows:
        raise FileNotFoundError(f"no claim ledger in {folder}: run a lesson first "
                                "(or set COURSE_OUTPUT_DIR to the run's output folder)")
    return pd.DataFrame(rows)


def _tested(ledger: pd.DataFrame) -> pd.DataFrame:
    """The claims that were measured (not the paper anchors)."""
    return ledger[ledger["holds"].notna()]


def _unexpected(tested: pd.DataFrame) -> int:
    """How many tested claims came out other than the lesson says."""
    return int((tested["holds"] != tested["expected"]).sum())


def summary(ledger: pd.DataFrame) -> str:
    """The one-line summary: how many claims hold, fail as stated, or came out unexpectedly."""
    tested = _tested(ledger)
    unexpected = _unexpected(tested)
    as_said = int(((tested["holds"] == tested["expected"]) & ~tested["holds"].astype(bool)).sum())
    hold = len(tested) - unexpected - as_said
    return (f"{len(tested)} claims: {hold} hold, {as_said} do not hold as the lessons say, "
            f"{unexpected} unexpected (+{len(ledger) - len(tested)} paper anchors), "
            f"{ledger['lesson'].nunique()} lessons")


def lines(ledger: pd.DataFrame, width: int = 70) -> list[str]:
    """One line per tested claim, for a log: lesson, verdict, what was measured, the claim."""
    return [f"{row.lesson[:2]} | {row.verdict} | {row.measured} | "
            f"{row.statement if len(row.statement) <= width else row.statement[:width - 3] + '...'}"
            for row in _tested(ledger).itertuples()]


def render(ledger: pd.DataFrame, path: Path) -> Path:
    """Write the report page to ``path``: the summary, then one table per lesson."""
    parts = [f"<h1>Claim check, all lessons</h1><p><b>{html.escape(summary(ledger))}</b></p>"]
    for lesson, rows in ledger.groupby("lesson", sort=True):
        first = rows.iloc[0]
        parts.append(f"<h2>{html.escape(lesson)}</h2><p>{html.escape(first['machine'])}; "
                     f"recorded {html.escape(first['recorded'])}</p>")
        table = rows[["statement", "paper", "measured", "verdict"]].rename(
            columns={"statement": "claim", "measured": "measured here"})
        parts.append(table.to_html(index=False, escape=True))
    style = ("body{font-family:sans-serif;max-width:72em;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}")
    path.write_text(f"<!doctype html><meta charset='utf-8'><title>Claims</title>"
                    f"<style>{style}</style>{''.join(parts)}", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render every lesson's claims into one page.")
    parser.add_argument("--ledger", type=Path, default=None, help="folder of the claim ledger")
    parser.add_argument("--table", action="store_true",
                        help="also print every tested claim on one line (for a CI log)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a claim came out other than the lesson says")
    args = parser.parse_args(argv)
    try:
        ledger = load_ledger(args.ledger)
    except FileNotFoundError as error:
        parser.exit(2, f"course_utils.report: {error}\n")
    folder = Path(args.ledger or ledger_dir())
    page = render(ledger, folder.parent / "claims.html")
    print(f"claims report: {page}")
    if args.table:
        print("\n".join(lines(ledger)))
    print(summary(ledger))
    return 1 if args.strict and _unexpected(_tested(ledger)) else 0


if __name__ == "__main__":
    raise SystemExit(main())
