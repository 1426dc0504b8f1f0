"""Coded messages of limits, unsafe paths, strict parsing and failures of the operating system (E8xx)."""

RAISE_LIMIT = ("if the input is genuine, raise the limit: `limits: {{{name}: N}}` in annotations/schema.yaml, "
               "or `newsstance --limit {name}=N COMMAND`")

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    "E801": ("{what} is {value:,} {unit}, over the limit {name} = {limit:,}", RAISE_LIMIT),
    "E802": ("{name} is a symbolic link that leads outside {folder}; it is not read",
             "put the file itself in {folder} (inputs are read only from inside the project's folders)"),
    "E803": ("{name} is not a regular file but {kind}; it is not read",
             "replace it with a regular file, or remove it"),
    "E804": ("{name} is a loop of symbolic links",
             "remove the link, or point it at a regular file inside its folder"),
    "E805": ("YAML {what} at line {line}: anchors and aliases are refused (a few lines of them can expand to "
             "gigabytes)",
             "write the value out in full where the alias stands"),
    "E806": ("unknown key(s) {unknown} at {pointer}; known keys: {known}",
             "remove or rename the key (a misspelt key would otherwise be ignored silently)"),
    "E807": ("{pointer} must be {expected}, got {got}",
             "correct the value as annotations/README.md describes it"),
    "E808": ("key {key!r} given twice in one object, at {pointer} (a JSON reader keeps only the last value)",
             "keep the key once, with the value it should have"),
    "E809": ("raw file {name} is named by no metadata file; it is not part of the dataset",
             "add corpus/<id>.meta.json for it (see corpus/README.md), or remove the file"),
    "E810": ("no space left on the device while writing {path}",
             "free space on the disk that holds {path} (or build into another --output/--cache), then run again; "
             "the previous output is as it was"),
    "E811": ("{path} cannot be written or read: {detail}",
             "make {path} writable (and readable) by this user: check permissions, read-only mounts, `lsattr` "
             "(chattr +i); the previous output is as it was"),
    "E812": ("{path} vanished during the run ({detail})",
             "do not change the inputs or the output while a command runs; run it again"),
    "E813": ("the operating system refused an operation on {path}: {detail}",
             "check {path} (the device, the file system, its permissions), then run again"),
    "E814": ("another build (pid {pid}) is running in this project; lock file {path}",
             "wait until that build ends (a lock left by a process that no longer exists is taken over)"),
    "E815": ("benchmark result is not usable: {detail}",
             "rewrite the file with `newsstance evaluate` (it writes a JSON object with task, model, dataset, sizes, "
             "metrics and predictions), or remove it"),
    "E816": ("cannot read the card text {path}: {detail}",
             "restore DATASET_CARD.md as UTF-8 text (or pass --card the right file)"),
    "E817": ("standard output was closed before the command finished writing to it (e.g. by `| head`)",
             "read the whole output, or send it to a file; the command's work itself was done"),
    "E818": ("unknown limit {name!r}; known limits: {known}",
             "use one of the known names, as `--limit NAME=N` with N a positive integer"),
}
