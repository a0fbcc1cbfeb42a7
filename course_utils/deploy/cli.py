"""``course-sentiment``: score the reviews of a CSV file with one of the course's variants.

    course-sentiment score reviews.csv --model student-int8 [--text-column text] [--output out.csv]
    course-sentiment models

``score`` writes every input record as one row, in order, with three more columns: ``label``
(POSITIVE or NEGATIVE), ``score`` (the probability of that label) and ``error`` (empty, or
``line N: why`` the record could not be scored: then ``label`` and ``score`` are empty). The
CSV is read strictly: a malformed record (a quote never closed, text after a closing quote, a
line that is not UTF-8) is an error row for the line it starts on, and reading resumes on
the next line, so it is never merged into its neighbours. A cell is text whatever it reads
like (``42``, ``nan``). Records are streamed: memory does not grow with the file. Only the CSV
goes to standard output; progress and messages go to standard error. A file that cannot be
read at all (missing, no header, no such column) or an ``--output`` that cannot be written is
a one-line error before anything is scored (exit status 2).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.sentiment import text_problem

CHUNK = 256
"""Records scored per call (and the most held in memory at once)."""

SHOWN = 10
"""Errors repeated on standard error (all of them are in the error column)."""

FIELD_LIMIT = 1_000_000
"""The longest cell the reader holds (characters). A longer one is an error row: a review that
long, or, far more often, a quote that is never closed and would swallow the rest of the file."""


class InputError(Exception):
    """The file cannot be scored at all (missing, no header, no such column, unwritable output)."""


@dataclass(frozen=True)
class Record:
    """One CSV record: the line it starts on (the header is line 1) and its cells, or why it
    could not be read (then ``cells`` is empty)."""

    line: int
    cells: tuple[str, ...] = ()
    problem: str | None = None


class _Lines:
    """The lines of a binary file as text, one at a time, counting them, and remembering where
    the line after the first line of the current record starts (to resume there after a
    malformed record)."""

    def __init__(self, stream):
        self.stream, self.number, self.resume = stream, 0, None

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = self.stream.readline()
        if not raw:
            raise StopIteration
        self.number += 1
        if self.resume is None:
            self.resume = (self.stream.tell(), self.number)
        text = raw.decode("utf-8")  # a UnicodeDecodeError is this record's problem
        return text.removeprefix("\ufeff") if self.number == 1 else text

    def start_record(self) -> int:
        """The number the next record's first line will have."""
        self.resume = None
        return self.number + 1

    def rewind(self) -> None:
        """Go back to the line after the first line of the record being read."""
        offset, self.number = self.resume
        self.stream.seek(offset)


def records(stream) -> Iterator[Record]:
    """Every record of the binary, seekable ``stream`` (the header included), read strictly
    (:data:`FIELD_LIMIT` characters per cell at most): a record that cannot be read is a
    :class:`Record` with its problem, and reading resumes on the line after its first line.
    Blank lines hold no record and are skipped (the line numbers still count them)."""
    lines = _Lines(stream)
    reader = csv.reader(lines, strict=True)
    limit = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT)
    try:
        while True:
            line = lines.start_record()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                lines.rewind()
                yield Record(line, problem=_explain(error))
                continue
            if cells:
                yield Record(line, tuple(cells))
    finally:
        csv.field_size_limit(limit)


def _explain(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text: save the file as UTF-8 CSV"
    message = str(error)
    if "unexpected end of data" in message or "field larger" in message:
        return ("a quote opened on this line is never closed (or a cell is over "
                f"{FIELD_LIMIT:,} characters): close the quote")
    if "expected after" in message:
        return ("text follows a closing quote: a quote opened on this line is not closed, "
                'or a quote inside a quoted cell is not doubled ("")')
    return f"not valid CSV ({message})"


def open_records(path: Path, text_column: str):
    """The open file, its header and an iterator over the records after it; a one-line
    :class:`InputError` for a file that cannot be read at all."""
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    rest = records(stream)
    first = next(rest, None)
    if first is None:
        stream.close()
        raise InputError(f"{path}: empty file, no header row")
    if first.problem:
        stream.close()
        raise InputError(f"{path}: the header row cannot be read: {first.problem}")
    header = list(first.cells)
    if text_column not in header:
        stream.close()
        raise InputError(f"{path}: no column {text_column!r}; its columns are "
                         f"{', '.join(header)}: pass --text-column <one of them>")
    return stream, header, rest


def problem(record: Record, header: list[str], text_column: str) -> str | None:
    """Why this record cannot be scored, or ``None``."""
    if record.problem:
        return record.problem
    if len(record.cells) > len(header):
        return f"{len(record.cells) - len(header)} cell(s) more than the header has"
    column = header.index(text_column)
    if column >= len(record.cells):
        return f"no {text_column!r} cell (the row is shorter than the header)"
    why = text_problem(record.cells[column])
    return f"the {text_column!r} cell is {why}" if why else None


def scored_rows(rest: Iterator[Record], header: list[str], text_column: str,
                analyzer) -> Iterator[list[str]]:
    """One output row per record, in order: its cells (padded to the header), then label,
    score and error. The analyzer sees :data:`CHUNK` records' texts at a time."""
    column, pending = header.index(text_column), []

    def flush():
        texts = [r.cells[column] for r, why in pending if why is None]
        predictions = iter(analyzer.predict(texts) if texts else [])
        for record, why in pending:
            cells = [*record.cells, *[""] * (len(header) - len(record.cells))][:len(header)]
            if why is None:
                p = next(predictions)
                yield [*cells, p.label, p.score, ""]
            else:
                yield [*cells, "", "", f"line {record.line}: {why}"]
        pending.clear()

    for record in rest:
        pending.append((record, problem(record, header, text_column)))
        if len(pending) == CHUNK:
            yield from flush()
    yield from flush()


def write_scored(stream, header: list[str], rest: Iterator[Record], text_column: str,
                 analyzer, out, progress: bool = False) -> tuple[int, int, list[str]]:
    """Write the header and one scored row per record of ``rest`` to the text stream ``out``
    (``stream``: the input file, for the progress bar's bytes); returns how many records
    there were, how many were not scored, and the first :data:`SHOWN` errors."""
    from tqdm.auto import tqdm

    writer = csv.writer(out)
    writer.writerow([*header, "label", "score", "error"])
    count, failed, errors = 0, 0, []
    size = os.fstat(stream.fileno()).st_size
    with tqdm(total=size, unit="B", unit_scale=True, file=sys.stderr,
              disable=not progress or size < 64 * 1024) as bar:
        for row in scored_rows(rest, header, text_column, analyzer):
            writer.writerow(row)
            count += 1
            if row[-1]:
                failed += 1
                errors += [row[-1]][:SHOWN - len(errors)]
            if count % CHUNK == 0:
                bar.update(stream.tell() - bar.n)
    return count, failed, errors


def score(args) -> int:
    from .variants import load_analyzer

    with contextlib.ExitStack() as files:
        stream, header, rest = open_records(Path(args.file), args.text_column)
        files.enter_context(stream)
        try:
            target = (files.enter_context(open(args.output, "w", newline="", encoding="utf-8"))
                      if args.output else sys.stdout)
        except OSError as error:
            raise InputError(f"--output {args.output}: cannot be written ({error.strerror})"
                             ) from None
        with contextlib.redirect_stdout(sys.stderr):  # standard output: the CSV only
            analyzer = load_analyzer(args.model)
            count, failed, errors = write_scored(stream, header, rest, args.text_column,
                                                 analyzer, target, progress=not args.quiet)
    for message in errors:
        print(f"not scored: {message}", file=sys.stderr)
    if failed > len(errors):
        print(f"... and {failed - len(errors)} more rows not scored (see the error column)",
              file=sys.stderr)
    print(f"scored {count - failed} of {count} rows with {args.model}", file=sys.stderr)
    return 0


def models(args) -> int:
    """The variants, what each is, and where it runs; nothing is built."""
    from .variants import describe

    for name, description in describe().items():
        print(f"{name:22} {description}")
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
    listing = commands.add_parser("models", help="list the variants (builds nothing)")
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
