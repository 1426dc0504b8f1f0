"""Coded messages of new projects and of the card's statements about the corpus (E46x-E49x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    "E460": ("cannot create a new project here: the path is {found}",
             "give `newsstance init` a new or empty folder; nothing was written"),
    "E461": ("the YAML front matter between the first two '---' lines is not a mapping of card fields: {detail}",
             "write `key: value` lines there (pretty_name, license, license_name, ...) or remove the front matter"),
}
