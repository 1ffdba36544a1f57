"""Import a file of coded event data as one graph: read rows one by one, write Turtle as they come.

:func:`import_file` streams: the csv reader yields one row at a time, each becomes an event block
in the output (see :mod:`diplograph.coded.writer`), and only the distinct actors and pairs of
states are kept until the end. A row that cannot be imported is reported through ``on_skip`` as
it is met, with its line, and counted by reason; nothing is dropped in silence. The output goes to
a temporary file renamed into place at the end (:func:`diplograph.files.atomic_text_file`).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from diplograph.coded import gdelt, icews
from diplograph.coded.codebook import Code, read_codebook
from diplograph.coded.countries import CountryResolver
from diplograph.coded.records import Skip
from diplograph.coded.writer import EventGraphWriter
from diplograph.errors import DiplographError, EmptyInputError, EncodingError, InputError, ParseError, PathNotFoundError
from diplograph.files import atomic_text_file
from diplograph.project import Project
from diplograph.terms import slug

__all__ = ["FORMATS", "ImportResult", "Importer", "SkippedRowsError", "output_name"]

#: Format -> (dataset title, where the data comes from).
FORMATS: dict[str, tuple[str, str]] = {
    "icews": ("ICEWS coded events", "ICEWS Coded Event Data (Boschee et al.), Harvard Dataverse, doi:10.7910/DVN/28075"),
    "gdelt": ("GDELT 1.0 events", "The GDELT Project, GDELT 1.0 event database (gdeltproject.org)"),
}

# A GDELT or ICEWS field is short, but an unquoted tab file can hold anything: let long lines be read.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class SkippedRowsError(DiplographError):
    """``--strict``: a file had rows that could not be imported (exit 1); the file was not written."""

    exit_code = 1

    def __init__(self, skipped: int, files: int) -> None:
        self.skipped, self.files = skipped, files
        super().__init__(
            f"{skipped} row(s) of {files} file(s) could not be imported; strict mode writes no graph for those files"
        )


@dataclass
class ImportResult:
    """What one import did: counts for the summary line."""

    source: Path
    output: Path | None
    imported: int = 0
    pairs: int = 0
    within_one_state: int = 0
    unresolved_actors: int = 0
    events_with_unresolved: int = 0
    skipped: Counter = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        """``imported 3,705 events between 141 pairs of states, skipped 2 (1 wrong column count, 1 no actors)``."""
        text = f"imported {self.imported:,} event{'s' if self.imported != 1 else ''} between {self.pairs:,} pair{'s' if self.pairs != 1 else ''} of states"
        text += f" ({self.within_one_state:,} within one state; {self.unresolved_actors:,} unresolved actor{'s' if self.unresolved_actors != 1 else ''} in {self.events_with_unresolved:,} events)"
        text += f", skipped {self.skipped_total:,}"
        if self.skipped:
            text += " (" + ", ".join(f"{n:,} {why}" for why, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"
        return text


def output_name(fmt: str, source: Path) -> str:
    """``icews-events-2018-sample.ttl`` for ``events.2018.sample.tab``: the graph's file (and graph) name."""
    return f"{fmt}-{slug(source.stem) or 'events'}.ttl"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Importer:
    """Holds what every file of one run shares: the codebook and the country resolver."""

    def __init__(self, project: Project | None = None) -> None:
        project = project or Project.find()
        self.codes: dict[str, Code] = read_codebook(project.upstream_reference_dir)
        self.countries = CountryResolver(
            project.reference_dir / "states.ttl", project.upstream_reference_dir / "country-codes.csv"
        )

    def import_file(self, fmt: str, source: Path, output: Path, on_skip: Callable[[Skip], None], *,
                    strict: bool = False, layout: str = "auto") -> ImportResult:
        """Import ``source`` (format ``icews`` or ``gdelt``) into ``output``; report skipped rows through ``on_skip``.

        With ``strict``, a file with a skipped row is not written (``result.output`` is None).
        """
        if fmt not in FORMATS:
            raise InputError(f"unknown event data format {fmt!r}; expected one of {', '.join(FORMATS)}")
        if not source.is_file():
            raise PathNotFoundError(source, "no such file")
        sha = _sha256(source)
        result = ImportResult(source, output)
        title, upstream = FORMATS[fmt]
        stem = output.name.removesuffix(".ttl")

        class _Discard(Exception):
            pass

        try:
            with atomic_text_file(output) as out:
                writer = EventGraphWriter(out, fmt, stem)
                writer.start(
                    [
                        f"GENERATED FILE - do not edit. Imported with `diplograph import {fmt}` from {source.name}",
                        f"(sha256:{sha}). Every coded event is machine-coded (dg:MachineCoded) and cites its row.",
                    ],
                    f"{title} from {source.name}", source.name, sha, upstream,
                )
                self._rows(fmt, source, writer, result, on_skip, layout)
                writer.finish(source.name)
                result.pairs = len(writer.pairs)
                unresolved = [a for a in writer.actors.values() if a.kind == "unresolved"]
                result.unresolved_actors = len(unresolved)
                if strict and result.skipped:
                    raise _Discard
        except _Discard:
            result.output = None
        return result

    def _rows(self, fmt: str, source: Path, writer: EventGraphWriter, result: ImportResult,
              on_skip: Callable[[Skip], None], layout: str) -> None:
        parse = icews.parse_row if fmt == "icews" else gdelt.parse_row
        extra = {} if fmt == "icews" else {"layout": layout}
        codes, countries = self.codes, self.countries
        line = 0
        try:
            with source.open(encoding="utf-8-sig", newline="") as handle:
                # Tab-separated without quoting: a '"' in a name is a character, never a field delimiter.
                reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if fmt == "icews":
                    header = next(reader, None)
                    line = 1
                    if header is None:
                        raise EmptyInputError(source, "empty file (an ICEWS file starts with a header row)")
                    if tuple(h.strip() for h in header) != icews.COLUMNS:
                        raise ParseError(
                            source, 1, "not an ICEWS header: expected the 20 tab-separated columns "
                            f"{', '.join(icews.COLUMNS[:3])}, …, {icews.COLUMNS[-1]}",
                        )
                for row in reader:
                    line = reader.line_num
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue  # a blank line (a file's last newline doubled) is no record
                    try:
                        event = parse(row, line, codes, countries, **extra)
                    except Skip as skip:
                        result.skipped[skip.category] += 1
                        on_skip(skip)
                        continue
                    writer.event(event)
                    result.imported += 1
                    if event.within_one_state:
                        result.within_one_state += 1
                    if any(a is not None and a.kind == "unresolved" for a in (event.source, event.target)):
                        result.events_with_unresolved += 1
        except UnicodeDecodeError as exc:
            raise EncodingError(source, line + 1, f"not UTF-8 ({exc.reason})") from None
        except OSError as exc:
            raise InputError(f"{source}: cannot read ({exc.strerror})") from None
