"""Coded messages of build options, the card and the cache (E3xx)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
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
}
