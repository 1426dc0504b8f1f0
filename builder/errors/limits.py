"""Coded messages of limits, unsafe paths, strict parsing and failures of the operating system (E8xx)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
}
