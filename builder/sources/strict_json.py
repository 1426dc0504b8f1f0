"""A JSON file read strictly: every problem coded, at its line or JSON pointer (E001, E005, E012-E015, E808).

``read_json`` reads one file inside its folder and within its size limit. Duplicate keys, which every
JSON reader drops but the last of, are found cheaply and worded exactly: ``may_repeat_keys`` is the cheap test a build runs on every file it decodes: every ``:`` of a JSON text
outside a string separates a key from its value, and a ``:`` inside a string is written as such (unless
escaped as ``\\u003a``), so a text whose colons are as many as those of its document written again has no
key twice. Only a text that fails it is parsed again (``duplicate_keys``) to name each duplicate and its
place.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec

from builder.errors import InputError, Problem, excerpt_around, problem
from builder.sources.safe_files import read_input

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
    document = json.loads(text, object_pairs_hook=pairs_hook)
    return [problem("E808", path, where(document, parts), key=key, pointer=json_pointer((*parts, key)))
            for parts, value in json_values(document)
            if isinstance(value, Repeated) for key in value.repeated]


def read_json(path: Path, problems: list[Problem],
              where: Callable[[object, tuple], str] = lambda data, parts: "", *, root: Path | None = None,
              limit: str | None = None) -> object | None:
    """Parse a JSON file, or add its problems to ``problems`` and give None: a syntax error is E001 (with its
    line), bytes that are not UTF-8 E005, an integer of more digits than Python converts E012 and a string
    with a lone surrogate (a ``\\udxxx`` escape without its other half) E013, each at its JSON pointer;
    nesting deeper than ``json.loads`` goes is E014.
    ``where(document, pointer parts)`` names the place of a pointer (the article, the item).
    ``root``, ``limit``: the folder the file must lie in and its size limit (``safe_files.read_input``);
    a key twice in one object is E808."""
    try:
        text = read_input(path, root, limit).decode("utf-8")
        data = json.loads(text)
    except InputError as exc:  # a link out of its folder, not a regular file, over its limit
        problems.extend(exc.problems)
        return None
    except OSError as exc:
        problems.append(problem("E015", path, name=Path(path).name, detail=exc.strerror or str(exc)))
        return None
    except json.JSONDecodeError as exc:
        problems.append(problem("E001", path, detail=exc.msg, line=exc.lineno, column=exc.colno))
        return None
    except UnicodeDecodeError as exc:
        problems.append(problem("E005", path, byte=exc.object[exc.start], offset=exc.start))
        return None
    except ValueError:  # an integer longer than sys.get_int_max_str_digits(): read again to find each one
        data = json.loads(text, parse_int=integer_or_too_long)
        problems.extend(problem("E012", path, where(data, parts), digits=value.digits, pointer=json_pointer(parts),
                                limit=sys.get_int_max_str_digits())
                        for parts, value in json_values(data) if isinstance(value, TooLong))
        problems.extend(lone_surrogates(data, path, where) if SURROGATE_ESCAPE.search(text) else [])
        return None
    except RecursionError:  # nested deeper than the interpreter's recursion limit lets json.loads go
        depth, line, column = deepest_nesting(text)
        problems.append(problem("E014", path, depth=depth, line=line, column=column))
        return None
    found = lone_surrogates(data, path, where) if SURROGATE_ESCAPE.search(text) else []
    if may_repeat_keys(text.encode("utf-8"), data):
        found += duplicate_keys(text, path, where)
    problems.extend(found)
    return None if found else data


# A surrogate can only come from a \u escape (UTF-8 has none); this finds every such escape, and the
# escaped backslash of "\\ud800" too (then ``lone_surrogates`` finds nothing).
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads makes one character of a pair, so what is left is alone


def lone_surrogates(data: object, path: Path | str, where: Callable[[object, tuple], str]) -> list[Problem]:
    """E013 for every string of the document (key or value) that holds a lone surrogate."""
    return [problem("E013", path, where(data, parts), excerpt_around(value, found.start(), found.end()),
                    unit=ord(found.group()), index=found.start(), pointer=json_pointer(parts))
            for parts, value in json_values(data)
            if isinstance(value, str) and (found := LONE_SURROGATE.search(value)) is not None]


def deepest_nesting(text: str) -> tuple[int, int, int]:
    """(depth, line, column) of the first bracket at the greatest depth of arrays and objects in a JSON text."""
    depth = deepest = at = 0
    in_string = escaped = False
    for i, char in enumerate(text):
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, i
        elif char in "]}":
            depth -= 1
    return deepest, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


@dataclass(frozen=True, slots=True)
class TooLong:
    """An integer of the JSON text that ``int()`` refuses to convert (it has more digits than the limit)."""

    digits: int


def integer_or_too_long(literal: str) -> int | TooLong:
    try:
        return int(literal)
    except ValueError:
        return TooLong(len(literal.lstrip("-")))


def json_values(data: object) -> Iterator[tuple[tuple, object]]:
    """(pointer parts, value) of every value of a JSON document, depth first in document order; each key
    of an object also comes as a value, at the pointer of its member. No recursion: a document may nest
    as deeply as ``json.loads`` reads."""
    stack = [((), data)]
    while stack:
        parts, value = stack.pop()
        yield parts, value
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                stack.append(((*parts, key), item))
                stack.append(((*parts, key), key))
        elif isinstance(value, list):
            stack.extend(((*parts, i), item) for i, item in reversed(list(enumerate(value))))


def json_pointer(parts: Iterable) -> str:
    """The JSON pointer of ``parts``, printable whatever the keys hold (a lone surrogate as ``\\udxxx``)."""
    return "/" + "/".join(str(p).encode("utf-8", "backslashreplace").decode("utf-8") for p in parts)
