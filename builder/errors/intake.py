"""Coded messages of languages, tokenization at annotation boundaries and new projects (E02x-E03x, E43x-E49x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
}
