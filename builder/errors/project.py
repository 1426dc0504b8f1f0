"""Coded messages of new projects and of the card's statements about the corpus (E46x-E49x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
}
