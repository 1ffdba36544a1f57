"""Read a source document's text file into its title, headings and numbered sentences.

Sentences are the unit of evidence: every statement node in a graph cites the sentence it was
taken from by line and position (``id/source/{stem}/sentence/{line}-{n}``), and the tests use
this module to check that every sentence of the article is cited and quoted verbatim.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SourceSentence", "SourceText", "read_source_text", "split_sentences"]

# A sentence ends at . ! or ? (optionally followed by a closing quote) when the next one starts
# with a capital letter or an opening quote. Decimal points ("3.1") and abbreviations inside a
# sentence are not followed by a space and a capital, so they do not split.
_SENTENCE_END = re.compile(r'(?<=[.!?])(["\u201d]?)\s+(?=["\u201cA-Z])')


@dataclass(frozen=True)
class SourceSentence:
    line: int  # 1-based line of the text file
    number: int  # 1-based position of the sentence within its line
    text: str

    @property
    def key(self) -> str:
        return f"{self.line}-{self.number}"


@dataclass(frozen=True)
class SourceText:
    path: Path
    title: str
    headings: tuple[tuple[int, str], ...]
    sentences: tuple[SourceSentence, ...]
    excluded: tuple[tuple[int, str], ...]
    sha256: str


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, keeping each sentence's text verbatim.

    >>> split_sentences('Trade reached $3.1 billion. "A new start," he said. It grew.')
    ['Trade reached $3.1 billion.', '"A new start," he said.', 'It grew.']
    """
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.start() + len(match.group(1))
        parts.append(paragraph[start:end])
        start = match.end()
    tail = paragraph[start:]
    if tail.strip():
        parts.append(tail)
    return [p.strip() for p in parts if p.strip()]


def read_source_text(path: Path, excluded_lines: tuple[str, ...] = ("Leave a review",)) -> SourceText:
    """Read an article saved as text: line 1 is the title; a line without final punctuation is a
    section heading; lines equal to one of ``excluded_lines`` are web-page chrome, not content."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    lines = text.splitlines()
    title = lines[0].strip() if lines else ""
    headings: list[tuple[int, str]] = []
    excluded: list[tuple[int, str]] = []
    sentences: list[SourceSentence] = []
    for number, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped in excluded_lines:
            excluded.append((number, stripped))
        elif not stripped.endswith((".", "!", "?", '"', "\u201d")):
            headings.append((number, stripped))
        else:
            for position, sentence in enumerate(split_sentences(stripped), start=1):
                sentences.append(SourceSentence(number, position, sentence))
    return SourceText(
        path=path,
        title=title,
        headings=tuple(headings),
        sentences=tuple(sentences),
        excluded=tuple(excluded),
        sha256=hashlib.sha256(raw).hexdigest(),
    )
