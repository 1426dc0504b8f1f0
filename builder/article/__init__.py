"""One article's journey: checks, gold, cleaning, projection, tokens; a pure build."""
