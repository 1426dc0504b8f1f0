"""Duplicate keys of a JSON object, which every JSON reader drops but the last of: found cheaply, worded exactly.

``may_repeat_keys`` is the cheap test a build runs on every file it decodes: every ``:`` of a JSON text
outside a string separates a key from its value, and a ``:`` inside a string is written as such (unless
escaped as ``\\u003a``), so a text whose colons are as many as those of its document written again has no
key twice. Only a text that fails it is parsed again (``duplicate_keys``) to name each duplicate and its
place.
"""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from builder.errors import Problem, problem

DECODER, ENCODER = msgspec.json.Decoder(), msgspec.json.Encoder()


def may_repeat_keys(data: bytes, document: object = None) -> bool:
    """False only when ``data`` (valid JSON) surely has no key twice in one object; ``document``: its
    document already decoded to plain values, if the caller has it."""
    if b"\\u003" in data:  # an escaped ':' would make the count of colons say nothing
        return True
    colons = data.count(b":")
    if not colons:
        return False
    try:
        return colons != ENCODER.encode(DECODER.decode(data) if document is None else document).count(b":")
    except (msgspec.MsgspecError, UnicodeError, ValueError, TypeError):  # a lone surrogate, a huge integer
        return True


class Repeated(dict):
    """An object of the document, with the keys its text gives more than once."""

    __slots__ = ("repeated",)


def pairs_hook(pairs: list[tuple[str, object]]) -> dict:
    found = Repeated(pairs)
    found.repeated = ()
    if len(found) < len(pairs):
        seen, repeated = set(), []
        for key, _ in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        found.repeated = tuple(repeated)
    return found


def duplicate_keys(text: str, path: Path | str, where=lambda data, parts: "") -> list[Problem]:
    """E808 for every key given twice in one object of the JSON ``text`` (valid JSON), at its JSON pointer."""
    from builder.sources.corpus import json_pointer, json_values  # corpus reads files through this module

    document = json.loads(text, object_pairs_hook=pairs_hook)
    return [problem("E808", path, where(document, parts), key=key, pointer=json_pointer((*parts, key)))
            for parts, value in json_values(document)
            if isinstance(value, Repeated) for key in value.repeated]
