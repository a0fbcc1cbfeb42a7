"""The claims report: every lesson's claim ledger (written by ``ClaimCheck.assert_all``)
rendered into one HTML page an instructor can open after a run.

``python -m course_utils.report`` (or ``make report``) writes ``claims.html`` next to the
ledger and prints its path and a one-line summary such as
"32 claims: 30 hold, 2 do not hold as the lessons say, 0 unexpected (+5 paper anchors);
controls: 20 told apart, 0 not, 8 missing (4 counts need none)";
``--table`` first prints every tested claim on a line of its own (what CI logs keep).
"""

from __future__ import annotations

import argparse
import html
import json
import math
from pathlib import Path

import pandas as pd

from .claims import Claim, ledger_dir


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


def _claims(rows: pd.DataFrame) -> list[Claim]:
    """The ledger's rows as :class:`Claim` s again (a ledger written before the controls
    existed reads as measured claims without one)."""
    fields = set(Claim.__dataclass_fields__) - {"holds"}
    claims = []
    for row in rows.to_dict("records"):
        holds = None if _missing(row["holds"]) else bool(row["holds"])
        known = {k: v for k, v in row.items() if k in fields and not _missing(v)}
        known.setdefault("kind", "anchor" if holds is None else "measured")
        claims.append(Claim(holds=holds, **known))
    return claims


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _unexpected(tested: pd.DataFrame) -> int:
    """How many tested claims came out other than the lesson says, or passed their control."""
    return sum(c.failed for c in _claims(tested))


def summary(ledger: pd.DataFrame) -> str:
    """The one-line summary: how many claims hold, fail as stated, or came out unexpectedly,
    and how many measured claims were told apart from their negative control."""
    claims = _claims(_tested(ledger))
    unexpected = sum(c.holds != c.expected for c in claims)
    as_said = sum(c.holds == c.expected and not c.holds for c in claims)
    hold = len(claims) - unexpected - as_said
    verdicts = [c.control_verdict for c in claims]
    apart = sum(v.startswith("told apart") for v in verdicts)
    not_apart = sum(v.startswith("NOT A CLAIM") for v in verdicts)
    missing = verdicts.count("no control yet")
    counts = sum(c.kind == "count" for c in claims)
    return (f"{len(claims)} claims: {hold} hold, {as_said} do not hold as the lessons say, "
            f"{unexpected} unexpected (+{len(ledger) - len(claims)} paper anchors), "
            f"{ledger['lesson'].nunique()} lessons; controls: {apart} told apart, "
            f"{not_apart} not, {missing} missing ({counts} counts need none)")


def lines(ledger: pd.DataFrame, width: int = 70) -> list[str]:
    """One line per tested claim, for a log: lesson, verdict, what was measured, the control's
    verdict, the claim."""
    return [f"{row.lesson[:2]} | {claim.verdict} | {claim.measured} | "
            f"{claim.control_verdict}"
            f"{f' ({claim.control_measured})' if claim.control else ''} | "
            f"{row.statement if len(row.statement) <= width else row.statement[:width - 3] + '...'}"
            for row, claim in zip(_tested(ledger).itertuples(), _claims(_tested(ledger)))]


def render(ledger: pd.DataFrame, path: Path) -> Path:
    """Write the report page to ``path``: the summary, then one table per lesson."""
    parts = [f"<h1>Claim check, all lessons</h1><p><b>{html.escape(summary(ledger))}</b></p>"]
    for lesson, rows in ledger.groupby("lesson", sort=True):
        first = rows.iloc[0]
        parts.append(f"<h2>{html.escape(lesson)}</h2><p>{html.escape(first['machine'])}; "
                     f"recorded {html.escape(first['recorded'])}</p>")
        claims = _claims(rows)
        table = pd.DataFrame({
            "claim": rows["statement"], "paper": rows["paper"],
            "measured here": rows["measured"], "verdict": rows["verdict"],
            "negative control": [f"{c.control}: {c.control_measured}" if c.control else "-"
                                 for c in claims],
            "control verdict": [c.control_verdict for c in claims]})
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
