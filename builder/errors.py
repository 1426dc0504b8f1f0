"""One exception root and every coded message of the package.

A message names the file, the place in it (article id, annotation index, offsets, line), what is
wrong, and how to fix it. Templates live here so that the wording is reviewed in one place and every
code has a test (``tests/test_errors.py`` checks that each code is raised somewhere in the suite).
"""

from __future__ import annotations

from dataclasses import dataclass

EXCERPT_CHARS = 50

# code -> (what is wrong, how to fix it). Placeholders are filled by ``problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    # corpus
    "E001": ("malformed JSON ({detail}) at line {line}, column {column}",
             "fix the syntax at that line; a JSON validator such as `python -m json.tool FILE` shows it"),
    "E002": ("malformed YAML ({detail}) at line {line}",
             "fix the syntax at that line"),
    "E003": ("article id {id!r} is not a safe path component",
             "use only letters, digits, '_', '-' and '.', start with a letter or digit, no '..', at most 128 characters"),
    "E004": ("duplicate article id {id!r} (also in {other})",
             "give each article a unique id; ids are stable and never reused"),
    "E005": ("raw text is not valid UTF-8: byte 0x{byte:02x} at byte offset {offset}",
             "re-encode the file as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8`) and update its sha256 in the metadata"),
    "E006": ("raw text starts with a UTF-8 byte-order mark",
             "remove the BOM (offsets count code points from the first character of the text) and update the sha256"),
    "E007": ("raw text has CRLF line endings (first at character {offset})",
             "convert to LF (e.g. `dos2unix`), note 'line endings converted to LF' in the metadata notes and update the sha256"),
    "E008": ("sha256 of the raw file is {actual}, metadata says {expected}",
             "if the text was changed on purpose, update the metadata sha256 and re-check every annotation; otherwise restore the file"),
    "E009": ("raw text is empty",
             "remove the article or add its text"),
    "E010": ("metadata is invalid: {detail}",
             "correct the field as described in corpus/README.md"),
    "E011": ("raw file {name!r} named in the metadata does not exist",
             "add the file or correct the 'file' field"),
    "E012": ("integer of {digits} digits (at {pointer}) is longer than Python reads ({limit} digits)",
             "no field of the file takes a number that long (offsets count the characters of a text): correct it"),
    "E013": ("lone surrogate \\u{unit:04x} at character {index} of the string at {pointer}: half of a UTF-16 pair, "
             "which is no character and cannot be written as UTF-8",
             "write the character itself (the file is UTF-8) or both halves of its \\u pair (e.g. \\ud83d\\ude00 "
             "for one emoji); delete an escape that stands alone"),
    "E014": ("JSON nested {depth} levels deep (the deepest at line {line}, column {column}), deeper than Python reads",
             "no newsstance file nests more than a few levels: find the run of [ or {{ that leads there and remove it"),
    "E015": ("cannot read {name}: {detail}",
             "restore the file or correct its path; it must be UTF-8 text"),
    # annotation files
    "E101": ("annotation file is invalid: {detail} (at {pointer})",
             "correct it to match builder/annotation.schema.json (annotations/README.md describes the fields)"),
    "E102": ("unknown article id {id!r}",
             "use the id of an article in corpus/, or add the article first"),
    "E103": ("raw_sha256 {actual} does not match the article's sha256 {expected}: the text changed after annotation",
             "re-check every offset against the new text, then set raw_sha256 to the new value"),
    "E104": ("offsets [{start}, {end}) are out of range for a text of {length} characters",
             "offsets are Python code points, end exclusive; correct them"),
    "E105": ("quoted text {quoted!r} differs from the text at [{start}, {end}): {actual!r}",
             "correct the offsets or the quoted text; offsets are code points, not bytes or UTF-16 units"),
    "E106": ("unknown {kind} {value!r}; known: {known}",
             "use a value declared in annotations/schema.yaml, or declare it there with a definition"),
    "E107": ("entity [{start}, {end}) {text!r} overlaps entity [{other_start}, {other_end}) {other_text!r}",
             "entities are flat (OntoNotes style): keep the longer or the correct one"),
    "E108": ("span [{start}, {end}) {text!r} overlaps debris [{debris_start}, {debris_end}) that cleaning removes",
             "move the span out of the debris, or correct the debris span; spans are never trimmed silently"),
    "E109": ("{what} {value!r} refers to no entity id in this file",
             "use the id of an entity in 'entities'{also}"),
    "E110": ("duplicate {kind} id {value!r}",
             "give each item of the file a unique id"),
    "E111": ("annotator {annotator!r} is not recorded in annotations/annotators.yaml",
             "add the annotator with an honest description of who made the set"),
    "E112": ("debris span [{start}, {end}) overlaps debris span [{other_start}, {other_end})",
             "merge the two spans into one"),
    "E113": ("annotation file is in folder {folder!r} but says annotator {annotator!r}",
             "the folder name is the annotator id; move the file or correct the field"),
    "E114": ("stance {holder!r} -> {target!r} is given twice",
             "one stance per (holder, target): merge the evidence into one item"),
    "E115": ("article {id!r} has annotation sets but no gold set, and its annotators disagree on {count} item(s)",
             "adjudicate into annotations/gold/, or build with --allow-unadjudicated"),
    "E117": ("annotation file inside a folder of the annotator folder {folder!r}: it is not read",
             "move it into annotations/{folder}/ (one <article id>.json per article), or out of annotations/ if "
             "it is not a set to build with"),
    # alignment
    "E201": ("span boundary at {offset} falls inside token {token!r} [{token_start}, {token_end})",
             "the tokenizer cannot represent this span; correct the offsets to token boundaries"),
    # build and configuration
    "E301": ("build configuration is invalid: {detail}",
             "correct the option"),
    "E302": ("split ratios must be positive and sum to 1, got {ratios}",
             "give ratios such as train=0.8, validation=0.1, test=0.1"),
    "E303": ("output folder {path} exists and is not a previous build (no manifest.json)",
             "choose another --output, or remove the folder yourself"),
    "E304": ("no articles found in {path}",
             "put <id>.txt and <id>.meta.json pairs in the corpus folder"),
    "E305": ("{path} is not a newsstance cache: it holds files and no {marker} file",
             "pass --cache a new or empty folder (or one a build made), or build with --no-cache; the folder is "
             "left as it is"),
    "E306": ("card markers without a section: {unknown}; sections without a marker: {missing}",
             "add or remove `<!-- generated: NAME -->` lines so that they match the generated sections"),
    # --- interop: import/export (E4xx) ---
    "E401": ("the file has an unexpected shape: {detail}",
             "pass the file as the tool or `newsstance export` wrote it (Label Studio: Export > JSON or JSON-MIN)"),
    "E402": ("task has no text: {detail}",
             "name the task data field that holds the text with --text-field (default: text)"),
    "E403": ("{kind} is not imported: {reason}",
             "newsstance imports entities, debris and stances only (annotations/labelstudio/README.md, "
             "annotations/brat/README.md); carry anything else over by hand"),
    "E404": ("{kind} regions index HTML, not the plain text, and cannot be mapped to offsets",
             "annotate with the <Text> tag of annotations/labelstudio/config.xml"),
    "E405": ("offsets [{start}, {end}) cannot be mapped to the text: {detail}",
             "re-create the region on the same text (config.xml keeps whitespace with pre-wrap), or force "
             "--offsets codepoints|utf16 if you know how the tool counted"),
    "E406": ("label {label!r} is not one of the {section} of schema.yaml ({known})",
             "map it with --label-map FILE ('tool label: SCHEMA_LABEL', or null to skip it), or import into a "
             "scratch folder with --keep-unknown-labels and fix the labels there"),
    "E407": ("label {label!r} is skipped: the label map maps it to null",
             "map it to a schema label in the label map if it should be imported"),
    "E408": ("region has {count} labels {labels}; exactly one is needed",
             "give the region exactly one label (config.xml uses choice=\"single\")"),
    "E409": ("no corpus article has this text (sha256 {sha256})",
             "add the article to corpus/ first (the text must equal the raw file byte for byte), or import it "
             "as a new article with --new-articles"),
    "E410": ("the text differs from corpus article {id!r} ({detail})",
             "annotate the raw text exactly as `newsstance export` wrote it; a changed text is a new article "
             "and needs a new id"),
    "E411": ("no annotator id for {who}",
             "map it with --annotator-map FILE ('tool user: annotator-id'), or give --annotator ID"),
    "E412": ("{count} annotation sets map to (article {article}, annotator {annotator}); none of them is imported",
             "map the users to distinct annotator ids with --annotator-map, or import them separately"),
    "E413": ("{path} exists and is not overwritten",
             "pass --overwrite to replace it, or move it away first"),
    "E414": ("stance evidence is not imported: {detail}",
             "relate the holder entity to each stance evidence span (or mark it @author) and choose one target; "
             "one stance per (holder, target), with one label"),
    "E415": ("line {line} is not brat standoff: {detail}",
             "write it as in annotations/brat/README.md (e.g. 'T1<TAB>PERSON 0 5<TAB>Biden'), or delete it"),
    "E416": ("the annotation was cancelled (skipped) in Label Studio",
             "nothing to import from it; submit an annotation in Label Studio if the article should have one"),
    "E417": ("span {offsets} is not contiguous text: {reason}",
             "annotate each fragment as its own span, or the whole range; a span may cross line breaks (brat "
             "stores it as fragments between them) but may not start or end with one"),
    "E418": ("quoted text {quoted!r} differs from the text at [{start}, {end}): {actual!r}",
             "the .ann does not belong to this .txt, or the .txt changed after annotation; offsets are code points"),
    "E419": ("{name} has no matching {missing}",
             "brat documents are pairs <doc>.txt + <doc>.ann; add the missing file"),
    "E420": ("new article {id!r} cannot be added: {detail}",
             "corpus texts are UTF-8 with LF line endings under a unique id (corpus/README.md); convert the text "
             "or give it another id"),
    "E421": ("{kind} id {value!r} is used twice",
             "ids must be unique within one document; rename one"),
    "E422": ("{path} has no {what}",
             "build the dataset first (`newsstance build --output DIR`) and pass that folder with --dataset"),
    "E423": ("entity {text!r} ({label}) at clean offsets [{start}, {end}) {reason}",
             "spaCy would drop it silently (W030); fix the entity in the annotations and rebuild"),
    "E424": ("token {token!r} cannot be written as one CoNLL column: {reason}",
             "CoNLL columns are split on whitespace; the build drops whitespace tokens, so rebuild the dataset"),
    "E425": ("tag {tag!r} of token {index} ({token!r}) does not continue an entity (IOB2)",
             "the ner rows are not valid IOB2: rebuild the dataset"),
    "E426": ("{what} is invalid: {detail}",
             "write it as a YAML mapping, one 'tool name: newsstance name' per line (annotations/labelstudio/README.md)"),
    "E427": ("{value!r} is not a Wikidata QID",
             "write Q followed by digits (e.g. Q3874799), or leave it empty"),
    "E428": ("option {name}={value!r} is invalid; choose one of {choices}",
             "pass one of the listed values"),
    "E429": ("{kind} id {value!r} is not 1-32 letters, digits, '_' or '-'",
             "write the id in the note as the exporter does (e.g. {{\"id\": \"e1\"}}), or remove the note to use the T id"),
    # --- publish and verify (E5xx) ---
    "E501": ("not a complete build: {detail}",
             "rebuild it with `newsstance build`; never edit files inside a build folder by hand"),
    "E502": ("tag {tag} already exists with different content ({count} file(s) differ, e.g. {examples})",
             "a published version never changes: bump DATASET_VERSION in builder/__init__.py, note the change in "
             "CHANGELOG.md, rebuild and publish again"),
    "E503": ("the Hub refused the commit: {detail}; nothing was committed and no tag was created",
             "run the same command again: it recomputes what to upload and completes the publish"),
    "E504": ("commit {commit} is on main, but creating the tag {tag} failed: {detail}",
             "run the same command again: it finds this content on main and only creates the tag"),
    "E505": ("no Hugging Face token found (neither HF_TOKEN nor a saved login)",
             "set HF_TOKEN to a token with write access, or run `hf auth login`; `--dry-run` needs no token"),
    "E506": ("cannot read the repo on the Hub: {detail}",
             "check the repo id and the network; a private repo needs a token with read access"),
    "E507": ("the repo already exists and is public, but --private was given",
             "make the repo private on the Hub (Settings > Change visibility) first, or publish without --private"),
    "E508": ("the Hub refused to create the dataset repo: {detail}",
             "check that your token has write access to the namespace {namespace!r}"),
    "E509": ("{revision!r} is not a revision of this repo",
             "give a published tag such as v1.0.0 (the tags are listed on the repo page), a branch or a commit id"),
    "E510": ("revision {revision} has no readable manifest.json: {detail}",
             "verify a revision that `newsstance publish` made: `newsstance verify --repo-id {repo_id} --revision vX.Y.Z`"),
    # --- evaluate (E6xx) ---
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
    # --- agreement and adjudication (E7xx) ---
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


STANCE_HOLDER = {"what": "stance holder", "also": ", or '@author' for the article's author"}  # E109 of a holder

@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where it is and what to do about it."""

    code: str
    file: str
    where: str
    what: str
    fix: str
    excerpt: str | None = None

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        text = f"{self.code} {place}: {self.what}"
        if self.excerpt is not None:
            text += f"\n    near: {self.excerpt!r}"
        return f"{text}\n    fix: {self.fix}"


def problem(code: str, file: str, where: str = "", excerpt: str | None = None, **fields: object) -> Problem:
    what, fix = MESSAGES[code]
    return Problem(code=code, file=str(file), where=where, what=what.format(**fields),
                   fix=fix.format(**fields), excerpt=excerpt)


def excerpt_around(text: str, start: int, end: int | None = None) -> str:
    """Up to EXCERPT_CHARS characters of ``text`` centred on ``[start, end)``."""
    end = start if end is None else end
    pad = max(0, (EXCERPT_CHARS - (end - start)) // 2)
    lo = max(0, start - pad)
    return text[lo:lo + EXCERPT_CHARS]


class NewsstanceError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(NewsstanceError):
    """One or more problems in the corpus, the annotations or the options; all are listed."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''}:\n"
        super().__init__(head + "\n".join(str(p) for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class ConfigError(NewsstanceError):
    """A build option is invalid."""


class PublishError(NewsstanceError):
    """Publishing to or verifying against the Hub failed; the message says what to do."""
