"""Coded messages of the corpus: articles, their metadata and the files that carry them (E0xx)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
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
    "E011": ("raw file {name!r} named in the metadata does not exist",
             "add the file or correct the 'file' field"),
    "E012": ("integer of {digits} digits (at {pointer}) is longer than Python reads ({limit} digits)",
             "no field of the file takes a number that long (offsets count the characters of a text): correct it"),
    "E013": ("lone surrogate \\u{unit:04x} at character {index} of the string at {pointer}: half of a UTF-16 pair, "
             "which is no character and cannot be written as UTF-8",
             "write the character itself (the file is UTF-8) or both halves of its \\u pair (e.g. \\ud83d\\ude00 "
             "for one emoji); delete an escape that stands alone"),
    "E014": ("JSON nested {depth} levels deep (the deepest at line {line}, column {column}), deeper than Python reads",
             "no newsstance file nests more than a few levels: find the run of [ or {{ that leads there and remove it"),
    "E015": ("cannot read {name}: {detail}",
             "restore the file or correct its path; it must be UTF-8 text"),
}
