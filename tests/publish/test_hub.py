"""builder/publish/hub.py: error texts that leave the package (the Hub calls are tested in test_publish.py)."""

from __future__ import annotations

from builder.publish.hub import scrub

TOKEN = "hf_hubTestToken0123456789abcdef"


def test_scrub_blanks_the_token_and_keeps_one_short_line():
    assert scrub(f"401 for Bearer {TOKEN}\nmore", TOKEN) == "401 for Bearer *** more"
    assert scrub("Server error '500' For more information check: https://x.org/500 boom", None) == \
        "Server error '500' boom"
    assert len(scrub("x" * 1000, None)) == 300
