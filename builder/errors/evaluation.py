"""Coded messages of evaluating predictions (E6xx)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    "E601": ("line is not valid JSON ({detail})",
             "write one JSON object per line (JSONL); see 'Evaluation' in benchmarks/README.md for the format"),
    "E602": ("prediction is malformed: {detail}",
             "give the fields of the {task} format described in benchmarks/README.md ('Evaluation')"),
    "E603": ("unknown article id {id!r}: not an article of the {split!r} split",
             "predict only the articles of the split being evaluated (ids of the `documents` config), or choose the right --split"),
    "E604": ("entity offsets [{start}, {end}) do not fit the cleaned text of {length} characters",
             "offsets are code points into the cleaned `text` of the `documents` config, end exclusive, start < end"),
    "E605": ("unknown {kind} {value!r}; known: {known}",
             "use the names of the dataset's ClassLabels (see the dataset card), or map your model's labels to them"),
    "E606": ("duplicate prediction for {item} (first on line {other})",
             "give each item once"),
    "E607": ("no gold stance for holder_key {holder_key!r} and target {target!r} in this article",
             "predict the (holder_key, target) pairs of the `stance` config of this split; holder_key is copied, not recomputed"),
    "E608": ("{count} of {total} gold {kind} have no prediction (first: {examples}); they count as misses",
             "predict every item of the split, or report the score as measured with these misses"),
    "E609": ("cannot read the predictions: {detail}",
             "give an existing UTF-8 JSONL file with --predictions"),
    "E610": ("cannot load the spaCy pipeline {name!r}: {detail}",
             "install it (`python -m spacy download NAME`, or pip install its package) or give the path of a pipeline folder"),
    "E611": ("cannot load the gold {config!r} config, split {split!r}: {detail}",
             "build the dataset first (`newsstance build`), or check --data, --split and --revision"),
    "E612": ("evaluation options are invalid: {detail}",
             "give --task ner|stance|cleaning and exactly one of --predictions or (for ner) --spacy-model"),
}
