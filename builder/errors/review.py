"""Coded messages of the review site and of draft adjudication (E94x-E96x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    "E940": ("decisions[{index}] {item!r} is an open decision (no decision or no reason yet)",
             "set 'decision' to the 'choice' of one of its candidates ({choices}) and 'reason' to why, then run "
             "`newsstance adjudicate {id} --apply`"),
    "E941": ("decisions[{index}] {item!r} is decided ({decision!r}) but its candidates are still in the file: "
             "the choice is not in the gold items yet",
             "run `newsstance adjudicate {id} --apply`, which adds the chosen candidate to the items and drops the "
             "candidates"),
    "E942": ("a gold set for article {id!r} already exists",
             "edit it, or pass --overwrite to replace it with a new draft (its decisions are lost)"),
    "E943": ("article {id!r} has {count} annotator set(s) among {wanted}: a draft needs two or more to compare",
             "name two or more annotators with sets of this article in --annotators, or leave it out to use all"),
    "E944": ("decisions[{index}] {item!r}: the decision {decision!r} is none of its candidates' choices ({choices})",
             "copy the 'choice' of one candidate into 'decision' exactly"),
    "E945": ("no gold set to apply for article {id!r}",
             "write a draft first: `newsstance adjudicate {id}`"),
    "E947": ("{id!r} is not an article id (letters, digits, '_', '-' and '.', no '..', no path)",
             "give the id as corpus/<id>.meta.json names it, e.g. `newsstance adjudicate 000_b81791b00934b5a0`"),
    "E946": ("output folder {path} exists and is not a review site (no {marker} in it)",
             "give an empty or new folder, or a folder `newsstance review` wrote before"),
}
