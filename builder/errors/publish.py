"""Coded messages of publishing to and verifying against the Hub (E5xx)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
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
}
