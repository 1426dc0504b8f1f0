"""Coded messages of rights, public releases, hydration and Croissant metadata (E90x-E93x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    "E901": ("no copy of the text of article {article} in {texts} (neither {name} nor a file whose sha256 is "
             "{sha256})",
             "obtain the text from its publisher ({url}), save its bytes unchanged as {name}; or pass --skip-missing "
             "to hydrate the other articles and leave this one withheld"),
    "E902": ("the copy of article {article} starts with a byte-order mark{matches}",
             "save it as UTF-8 without a byte-order mark; offsets are code points of the text without it"),
    "E903": ("the copy of article {article} has CRLF line endings ({count}, the first at character {offset}){matches}",
             "convert its line endings to LF (e.g. `dos2unix {name}`); offsets are code points of the LF text and "
             "are never shifted to fit another one"),
    "E904": ("the copy of article {article} is not the text the release was annotated on: sha256 {actual}, expected "
             "{expected}; {length}; the first difference is in characters [{start}, {end}) (line {line}, column "
             "{column} of the copy)",
             "obtain the exact text the release names ({url}); a different version would misplace every annotation, "
             "so offsets are never shifted to fit it"),
    "E905": ("the copy of article {article} is not UTF-8 (byte 0x{byte:02x} at byte offset {offset})",
             "save the text as UTF-8, unchanged otherwise"),
    "E906": ("{folder} is not a public release of newsstance that can be hydrated: {detail}",
             "give the folder, or the Hub id with --revision, of a release built with `newsstance build --release "
             "public`"),
    "E907": ("cannot download {repo_id} at revision {revision}: {detail}",
             "check the repo id, the revision (a tag such as v1.0.0) and the network; HF_ENDPOINT selects another Hub"),
    "E908": ("the hydrated {config} row {row} still lacks its text field {field}: this builder does not know how to "
             "make it again from the raw text",
             "hydrate with the newsstance version that built the release (the manifest's builder.newsstance)"),
    "E910": ("{folder} holds the texts of {count} article(s) whose licence does not allow redistribution "
             "(e.g. {examples})",
             "publish the public release (`newsstance publish` builds it unless told otherwise, or build it with "
             "`newsstance build --release public`); to publish these texts anyway, rebuild with `newsstance build "
             "--release full --include-restricted-texts` and publish with --include-restricted-texts"),
    "E911": ("--include-restricted-texts was given, but {folder} was not built with it: its manifest and card do "
             "not state that restricted texts are published",
             "rebuild with `newsstance build --release full --include-restricted-texts`, then publish that folder"),
}
