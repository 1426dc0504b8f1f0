"""Coded messages of languages and of tokenization at annotation boundaries (E02x-E03x, E21x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
}
