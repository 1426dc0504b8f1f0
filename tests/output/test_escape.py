"""builder/output/escape.py: data-derived text is inert in the card's Markdown and HTML."""

from builder.output.escape import code, inline


def test_inline_text_keeps_one_line_and_shows_markup_as_text():
    assert inline("a\n---\n# injected\n<img src=x onerror=alert(1)>") == (
        "a --- \\# injected &lt;img src=x onerror=alert(1)&gt;")


def test_inline_text_cannot_end_a_table_cell_or_open_a_link():
    assert inline("x | [y](javascript:z)") == "x \\| \\[y\\](javascript:z)"


def test_a_plain_name_keeps_its_code_span():
    assert code("WORK_OF_ART") == "`WORK_OF_ART`" and code("us-peace-plan-2025") == "`us-peace-plan-2025`"


def test_a_name_with_a_backtick_becomes_an_escaped_code_element():
    assert code("a`<b>") == "<code>a\\`&lt;b&gt;</code>"
