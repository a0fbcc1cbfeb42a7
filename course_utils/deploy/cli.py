"""``course-sentiment``: score the reviews of a CSV file with one of the course's variants.

    course-sentiment score reviews.csv --model student-int8 [--text-column text] [--output out.csv]
    course-sentiment models

``score`` writes every input row with three more columns: ``label`` (POSITIVE or NEGATIVE),
``score`` (the probability of that label) and ``error`` (empty, or why the row could not be
scored: then ``label`` and ``score`` are empty). One output row per input row, in order;
nothing is dropped. A file that cannot be read at all is a one-line error (exit status 2).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from ..sentiment import MAX_CHARS

CHUNK = 256
"""Rows scored per call (the progress bar moves by one chunk)."""


class InputError(Exception):
    """The file cannot be scored at all (missing, not UTF-8, no such column)."""


def read_rows(path: Path, text_column: str) -> tuple[list[str], list[dict]]:
    """The header and the rows of ``path`` (a row shorter than the header has ``None`` in the
    missing cells)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8 "
                         "CSV") from None
    except (OSError, csv.Error) as error:
        raise InputError(f"{path}: cannot be read as CSV ({error})") from None
    if not header:
        raise InputError(f"{path}: empty file, no header row")
    if text_column not in header:
        raise InputError(f"{path}: no column {text_column!r}; its columns are "
                         f"{', '.join(header)}: pass --text-column <one of them>")
    return header, rows


def row_problem(row: dict, text_column: str) -> str | None:
    """Why this row cannot be scored, or ``None``. (Row numbers count the header as 1.)"""
    if None in row:
        return f"{len(row[None])} cell(s) more than the header has"
    text = row.get(text_column)
    if text is None:
        return f"no {text_column!r} cell (the row is shorter than the header)"
    if not text.strip():
        return f"empty {text_column!r} cell"
    if len(text) > MAX_CHARS:
        return f"{len(text):,} characters (limit {MAX_CHARS:,}): split the text"
    try:
        float(text)
    except ValueError:
        return None
    return f"{text_column!r} is a number ({text.strip()}), not text"


def score_rows(rows: list[dict], text_column: str, analyzer, progress: bool = True) -> list[dict]:
    """Every row with ``label``, ``score`` and ``error`` added (see the module docstring)."""
    from tqdm.auto import tqdm

    problems = [row_problem(row, text_column) for row in rows]
    good = [i for i, problem in enumerate(problems) if problem is None]
    results = {}
    with tqdm(total=len(good), unit="review", disable=not progress or len(good) <= CHUNK,
              file=sys.stderr) as bar:
        for start in range(0, len(good), CHUNK):
            chunk = good[start:start + CHUNK]
            for i, p in zip(chunk, analyzer.predict([rows[i][text_column] for i in chunk])):
                results[i] = p
            bar.update(len(chunk))
    out = []
    for i, row in enumerate(rows):
        row = {k: v for k, v in row.items() if k is not None}
        p = results.get(i)
        out.append({**row, "label": p.label if p else "", "score": p.score if p else "",
                    "error": "" if p else f"row {i + 2}: {problems[i]}"})
    return out


def write_rows(rows: list[dict], header: list[str], stream) -> None:
    writer = csv.DictWriter(stream, fieldnames=[*header, "label", "score", "error"],
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def score(args) -> int:
    from .variants import load_analyzer

    header, rows = read_rows(Path(args.file), args.text_column)
    analyzer = load_analyzer(args.model)
    scored = score_rows(rows, args.text_column, analyzer, progress=not args.quiet)
    if args.output:
        with open(args.output, "w", newline="", encoding="utf-8") as stream:
            write_rows(scored, header, stream)
    else:
        write_rows(scored, header, sys.stdout)
    failed = [r["error"] for r in scored if r["error"]]
    for message in failed[:10]:
        print(f"not scored: {message}", file=sys.stderr)
    if len(failed) > 10:
        print(f"... and {len(failed) - 10} more rows not scored (see the error column)",
              file=sys.stderr)
    print(f"scored {len(scored) - len(failed)} of {len(scored)} rows with {args.model}",
          file=sys.stderr)
    return 0


def models(args) -> int:
    from tqdm.auto import tqdm

    from ..bench import MB
    from .variants import VARIANTS, build_analyzer, weight_bytes

    rows = []
    for name in tqdm(VARIANTS, desc="measuring", file=sys.stderr, disable=args.quiet):
        analyzer = build_analyzer(name)
        model = getattr(analyzer, "model", None)
        size = f"{weight_bytes(model) / MB:8.1f} MB" if model is not None else "  (lexicon)"
        rows.append(f"{name:20} {size}")
    print("variant              weights\n" + "\n".join(rows))
    return 0


def parser() -> argparse.ArgumentParser:
    from .variants import GPU_VARIANTS, ONLINE_VARIANTS, VARIANTS

    main = argparse.ArgumentParser(prog="course-sentiment", description=__doc__.split("\n")[0])
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("score", help="add label, score and error columns to a CSV file")
    run.add_argument("file", help="a UTF-8 CSV file with a header row")
    run.add_argument("--model", required=True, choices=VARIANTS + GPU_VARIANTS + ONLINE_VARIANTS,
                     metavar="NAME", help="a variant (`course-sentiment models` lists them)")
    run.add_argument("--text-column", default="text", help="the column to score (text)")
    run.add_argument("--output", help="where to write the result (default: standard output)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(handler=score)
    listing = commands.add_parser("models", help="list the variants with their measured size")
    listing.add_argument("--quiet", action="store_true", help="no progress bar")
    listing.set_defaults(handler=models)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except (InputError, ImportError, RuntimeError) as error:
        print(f"course-sentiment: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
