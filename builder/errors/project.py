"""Coded messages of new projects and of the card's statements about the corpus (E46x-E49x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    "E460": ("cannot create a new project here: the path is {found}",
             "give `newsstance init` a new or empty folder; nothing was written"),
    "E461": ("the YAML front matter between the first two '---' lines is not a mapping of card fields: {detail}",
             "write `key: value` lines there (pretty_name, license, license_name, ...) or remove the front matter"),
    "E462": ("the dataset has no {task!r} config, so there is no gold to score: its corpus has no item of that "
             "layer (its configs: {configs})",
             "score a task whose config the dataset has, or annotate that layer and build again"),
    "E464": ("the {config!r} config of this build has no {split!r} split (a split with no article is not written); "
             "its splits: {splits}",
             "pass --split with one of those splits, or give that split articles (a `split` in their metadata) and build again"),
}
