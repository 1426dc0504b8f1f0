"""Coded messages of rights, public releases, hydration and Croissant metadata (E90x-E93x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
}
