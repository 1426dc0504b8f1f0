"""Rows -> one Arrow RecordBatch with a config's declared schema, faster than ``from_pylist`` of dicts.

A chunk's rows of one config come as parts: each part is one row as a tuple of its values in the
order of the schema's fields (a struct as a tuple in the order of its fields, a list as a list), or
some rows column by column (``Columns``): a field's values as a sequence or a numpy array, a list
column as each row's list length and all their items (``Lists``), strings as byte ranges of a
text's UTF-8 bytes (``Utf8``), a struct as the ``Columns`` of its fields.

Why not ``pa.RecordBatch.from_pylist`` of dicts: it looks up every field of every row and struct
item by name. Tuples go through one ``pa.array`` call without any lookup; columns of numbers or of
byte ranges of a text (the ``ner`` tokens) need no Python object per value at all. The result is
the batch ``from_pylist`` makes of the same rows as dicts, value for value, with the same schema
(tests compare both on every config), so the Parquet bytes do not change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain
from typing import NamedTuple, Union

import numpy as np
import pyarrow as pa


class Lists(NamedTuple):
    """A list column of some rows: each row's list length, and the items of all of them in order."""

    lengths: Sequence[int] | np.ndarray
    items: Column


class Utf8(NamedTuple):
    """Substrings of a text: the text's UTF-8 bytes and the byte range of each substring.

    The bytes of all the substrings of a chunk are gathered at once, when the column is made
    (``gathered``): numpy calls cost microseconds each, however small the arrays, so one call per
    chunk rather than per article."""

    data: np.ndarray  # uint8
    starts: np.ndarray  # byte offsets into data
    ends: np.ndarray

    @classmethod
    def cut(cls, text: str, starts: np.ndarray, ends: np.ndarray) -> Utf8:
        """The substrings ``text[start:end]`` of code point offsets (0 <= start <= end <= len(text))."""
        data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        if len(data) != len(text):  # not ASCII: code point offsets -> byte offsets
            # a code point starts at each byte that is not a continuation byte (0b10xxxxxx, as int8 below -64)
            first_bytes = np.empty(len(data) + 1, dtype=bool)
            np.greater_equal(data.view(np.int8), -64, out=first_bytes[:-1])
            first_bytes[-1] = True  # the end of the text
            byte_at = np.flatnonzero(first_bytes)
            starts, ends = byte_at[starts], byte_at[ends]
        return cls(data, starts, ends)


def gathered(parts: Sequence[Utf8]) -> pa.StringArray:
    """The substrings of consecutive ``Utf8`` parts as one string array."""
    data = flat([part.data for part in parts])
    shift = np.repeat(offsets_of([len(part.data) for part in parts])[:-1],
                      [len(part.starts) for part in parts])  # where each part's text starts in data
    starts = flat([part.starts for part in parts]) + shift
    lengths = flat([part.ends for part in parts]) + shift - starts
    offsets = offsets_of(lengths)
    index = np.arange(offsets[-1]) + np.repeat(starts - offsets[:-1], lengths)
    return pa.StringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data[index]))


Column = Union[Sequence, np.ndarray, Lists, Utf8, Mapping[str, "Column"]]
Columns = Mapping[str, Column]
"""Some rows of a config, field by field: the rows' values (a sequence of Python values, None for
null, or a numpy array), a ``Lists``, a ``Utf8``, or for a struct the ``Columns`` of its fields."""


def columns_to_batch(parts: Sequence[tuple | Columns], schema: pa.Schema) -> pa.RecordBatch:
    """Consecutive parts of rows (all row tuples, or all ``Columns``) -> one RecordBatch of ``schema``."""
    if parts and not isinstance(parts[0], Mapping):  # rows as tuples
        return pa.RecordBatch.from_arrays(pa.array(parts, type=pa.struct(list(schema))).flatten(), schema=schema)
    return pa.RecordBatch.from_arrays([arrow_column([part[f.name] for part in parts], f.type) for f in schema],
                                      schema=schema)


def arrow_column(parts: Sequence[Column], kind: pa.DataType) -> pa.Array:
    """One column of type ``kind`` from its consecutive parts."""
    if not parts:
        return pa.array([], type=kind)
    if isinstance(parts[0], Lists):
        items = arrow_column([part.items for part in parts], kind.value_type)
        return pa.ListArray.from_arrays(pa.array(offsets_of(flat([part.lengths for part in parts]))), items, type=kind)
    if isinstance(parts[0], Mapping):
        fields = list(kind)
        return pa.StructArray.from_arrays([arrow_column([part[f.name] for part in parts], f.type) for f in fields],
                                          fields=fields)
    if isinstance(parts[0], Utf8):
        return gathered(parts)
    return pa.array(flat(parts), type=kind)


def offsets_of(lengths: Sequence[int] | np.ndarray) -> np.ndarray:
    """Arrow's int32 offsets of consecutive lists (or strings) of these lengths."""
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def flat(parts: Sequence[Sequence | np.ndarray]) -> Sequence | np.ndarray:
    """The parts one after the other: a numpy array if any part is one, else a sequence."""
    if len(parts) == 1:
        return parts[0]
    if any(isinstance(part, np.ndarray) for part in parts):
        return np.concatenate(parts)
    return list(chain.from_iterable(parts))
