"""One exception root and every coded message of the package.

A message names the file, the place in it (article id, annotation index, offsets, line), what is
wrong, and how to fix it. Templates live here so that the wording is reviewed in one place and every
code has a test (``tests/test_errors.py`` checks that each code is raised somewhere in the suite).
"""

from __future__ import annotations

from dataclasses import dataclass

EXCERPT_CHARS = 50

# code -> (what is wrong, how to fix it). Placeholders are filled by ``problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    # corpus
    "E001": ("malformed JSON ({detail}) at line {line}, column {column}",
             "fix the syntax at that line; a JSON validator such as `python -m json.tool FILE` shows it"),
    "E002": ("malformed YAML ({detail}) at line {line}",
             "fix the syntax at that line"),
    "E003": ("article id {id!r} is not a safe path component",
             "use only letters, digits, '_', '-' and '.', start with a letter or digit, no '..', at most 128 characters"),
    "E004": ("duplicate article id {id!r} (also in {other})",
             "give each article a unique id; ids are stable and never reused"),
    "E005": ("raw text is not valid UTF-8: byte 0x{byte:02x} at byte offset {offset}",
             "re-encode the file as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8`) and update its sha256 in the metadata"),
    "E006": ("raw text starts with a UTF-8 byte-order mark",
             "remove the BOM (offsets count code points from the first character of the text) and update the sha256"),
    "E007": ("raw text has CRLF line endings (first at character {offset})",
             "convert to LF (e.g. `dos2unix`), note 'line endings converted to LF' in the metadata notes and update the sha256"),
    "E008": ("sha256 of the raw file is {actual}, metadata says {expected}",
             "if the text was changed on purpose, update the metadata sha256 and re-check every annotation; otherwise restore the file"),
    "E009": ("raw text is empty",
             "remove the article or add its text"),
    "E010": ("metadata is invalid: {detail}",
             "correct the field as described in corpus/README.md"),
    "E011": ("raw file {file!r} named in the metadata does not exist",
             "add the file or correct the 'file' field"),
    # annotation files
    "E101": ("annotation file is invalid: {detail} (at {pointer})",
             "correct it to match annotations/annotation.schema.json"),
    "E102": ("unknown article id {id!r}",
             "use the id of an article in corpus/, or add the article first"),
    "E103": ("raw_sha256 {actual} does not match the article's sha256 {expected}: the text changed after annotation",
             "re-check every offset against the new text, then set raw_sha256 to the new value"),
    "E104": ("offsets [{start}, {end}) are out of range for a text of {length} characters",
             "offsets are Python code points, end exclusive; correct them"),
    "E105": ("quoted text {quoted!r} differs from the text at [{start}, {end}): {actual!r}",
             "correct the offsets or the quoted text; offsets are code points, not bytes or UTF-16 units"),
    "E106": ("unknown {kind} {value!r}; known: {known}",
             "use a value declared in annotations/schema.yaml, or declare it there with a definition"),
    "E107": ("entity [{start}, {end}) {text!r} overlaps entity [{other_start}, {other_end}) {other_text!r}",
             "entities are flat (OntoNotes style): keep the longer or the correct one"),
    "E108": ("span [{start}, {end}) {text!r} overlaps debris [{debris_start}, {debris_end}) that cleaning removes",
             "move the span out of the debris, or correct the debris span; spans are never trimmed silently"),
    "E109": ("stance holder {holder!r} refers to no entity id in this file",
             "use the id of an entity in 'entities', or '@author' for the article's author"),
    "E110": ("duplicate {kind} id {value!r}",
             "give each item of the file a unique id"),
    "E111": ("annotator {annotator!r} is not recorded in annotations/annotators.yaml",
             "add the annotator with an honest description of who made the set"),
    "E112": ("debris span [{start}, {end}) overlaps debris span [{other_start}, {other_end})",
             "merge the two spans into one"),
    "E113": ("annotation file is in folder {folder!r} but says annotator {annotator!r}",
             "the folder name is the annotator id; move the file or correct the field"),
    "E114": ("stance {holder!r} -> {target!r} is given twice",
             "one stance per (holder, target): merge the evidence into one item"),
    "E115": ("article {id!r} has annotation sets but no gold set, and its annotators disagree on {count} item(s)",
             "adjudicate into annotations/gold/, or build with --allow-unadjudicated"),
    # alignment
    "E201": ("span boundary at {offset} falls inside token {token!r} [{token_start}, {token_end})",
             "the tokenizer cannot represent this span; correct the offsets to token boundaries"),
    # build and configuration
    "E301": ("build configuration is invalid: {detail}",
             "correct the option"),
    "E302": ("split ratios must be positive and sum to 1, got {ratios}",
             "give ratios such as train=0.8, validation=0.1, test=0.1"),
    "E303": ("output folder {path} exists and is not a previous build (no manifest.json)",
             "choose another --output, or remove the folder yourself"),
    "E304": ("no articles found in {path}",
             "put <id>.txt and <id>.meta.json pairs in the corpus folder"),
    "E305": ("the corpus has problems; nothing was written",
             "run `newsstance validate` for the full report"),
    # --- interop: import/export (E4xx) ---
    # --- publish and verify (E5xx) ---
    # --- evaluate (E6xx) ---
    # --- agreement and adjudication (E7xx) ---
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where it is and what to do about it."""

    code: str
    file: str
    where: str
    what: str
    fix: str
    excerpt: str | None = None

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        text = f"{self.code} {place}: {self.what}"
        if self.excerpt is not None:
            text += f"\n    near: {self.excerpt!r}"
        return f"{text}\n    fix: {self.fix}"


def problem(code: str, file: str, where: str = "", excerpt: str | None = None, **fields: object) -> Problem:
    what, fix = MESSAGES[code]
    return Problem(code=code, file=str(file), where=where, what=what.format(**fields),
                   fix=fix.format(**fields), excerpt=excerpt)


def excerpt_around(text: str, start: int, end: int | None = None) -> str:
    """Up to EXCERPT_CHARS characters of ``text`` centred on ``[start, end)``."""
    end = start if end is None else end
    pad = max(0, (EXCERPT_CHARS - (end - start)) // 2)
    lo = max(0, start - pad)
    return text[lo:lo + EXCERPT_CHARS]


class NewsstanceError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(NewsstanceError):
    """One or more problems in the corpus, the annotations or the options; all are listed."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''}:\n"
        super().__init__(head + "\n".join(str(p) for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class ConfigError(NewsstanceError):
    """A build option is invalid."""


class PublishError(NewsstanceError):
    """Publishing to or verifying against the Hub failed; the message says what to do."""
