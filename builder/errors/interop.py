"""Coded messages of import and export of annotation tools' files (E4xx)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
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
    "E430": ("{what} {path} does not exist",
             "check the path and the current folder; {hint}"),
    "E431": ("the export holds nothing to import: {detail}",
             "export again from the tool after annotating (Label Studio: Export > JSON), or pass the right file"),
    "E432": ("{kind} spans [{start}, {end}) {text!r} and [{other_start}, {other_end}) {other_text!r} {relation}; "
             "nothing of this document is written",
             "choose which to keep with --overlaps keep-outer or --overlaps keep-inner, or correct the spans in the "
             "tool; newsstance entities do not overlap"),
    "E433": ("JSON-MIN drops the link between a {control} and its span: {detail}",
             "export as JSON (Label Studio: Export > JSON, not JSON-MIN), which keeps region ids, and import that"),
    "E434": ("'{source}' holds {count} id(s), not the {source} themselves: this export lists them by id",
             "export a snapshot with them in full (Label Studio API: POST /api/projects/<id>/exports/ with "
             "serialization_options {{\"{source}\": {{\"only_id\": false}}}}, then download it), or read the "
             "submitted annotations (--from annotations)"),
    "E435": ("metadata field {name} is not imported: {detail}",
             "name it as FIELD=data.PATH with --meta-field (FIELD one of url, title, outlet, published), or fix the "
             "value in the tool's task data"),
    "E436": ("annotator {annotator!r} is not in {path}: {detail}",
             "give --annotator-kind human|model|project-team (or answer the question on a terminal) to add it, "
             "or add it to annotators.yaml by hand"),
    "E437": ("{kind} [{start}, {end}) {text!r} would be dropped by --overlaps {policy} but it is the holder of "
             "stance {stance}; nothing of this document is written",
             "use the other --overlaps policy, or correct the spans in the tool"),
}
