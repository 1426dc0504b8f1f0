"""Coded messages of agreement and adjudication (E7xx)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    "E701": ("no annotation set was given for article {id!r}",
             "pass every set of the article (grouped by article_id), or leave the article out of the build"),
    "E702": ("a set of article {other!r} (annotator {annotator!r}) was given with the sets of article {id!r}",
             "group the sets by their article_id before choosing gold"),
    "E703": ("annotator {annotator!r} has {count} sets for article {id!r}",
             "keep one file per (article, annotator): annotations/<annotator>/<article_id>.json"),
    "E704": ("no text length for article {id!r}, which the debris kappa over every character needs",
             "pass the text length of every article with two or more annotators; `newsstance validate` reports annotated articles missing from corpus/"),
    "E705": ("debris [{start}, {end}) of annotator {annotator!r} ends beyond the text length {length}",
             "run `newsstance validate` and correct the offsets"),
    "E706": ("annotations folder {path} does not exist",
             "give --annotations the folder that holds <annotator>/<article_id>.json files"),
}
