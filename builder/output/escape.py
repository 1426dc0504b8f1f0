"""Text that comes from the data (labels, metadata, disagreement lines, result fields) made inert in the card.

The card is Markdown that the Hub renders with HTML allowed: a value is put on one line (a line break
could start a heading, a list or a new front matter), its Markdown punctuation is escaped with a
backslash, and ``markupsafe`` escapes it for HTML, so that ``<script>`` or ``<img onerror=...>`` is shown
as text. Names that are plain words keep their code span unchanged.
"""

from __future__ import annotations

import re

from markupsafe import escape

MARKDOWN = re.compile(r"[\\`*_\[\]#|~]")  # what may start markup inside a line (a link needs its "[")
PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]*")


def inline(value: object) -> str:
    """``value`` as text on one line of Markdown (or a table cell): no markup, no HTML."""
    one_line = " ".join(str(value).split())
    return str(escape(MARKDOWN.sub(r"\\\g<0>", one_line)))


def code(value: object) -> str:
    """``value`` in a code span: backticks for a plain name, else an HTML ``<code>`` element with the
    value escaped (a backtick in the value would end a Markdown code span)."""
    text = str(value)
    return f"`{text}`" if PLAIN.fullmatch(text) else f"<code>{inline(text)}</code>"
