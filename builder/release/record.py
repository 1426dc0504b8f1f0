"""What a build says about its release: the manifest's ``release`` entry, ``hydration.json``, the card's words.

``hydration.json`` (public releases) lists every withheld article with the sha256, length and block hashes
of its raw text, which ``newsstance hydrate`` checks a user's copy against.
"""

from __future__ import annotations

import json
from pathlib import Path

from builder.release.licences import UNKNOWN
from builder.release.withhold import BLOCK_CHARS, ReleaseStep

HYDRATION = "hydration.json"
HYDRATION_FORMAT = "newsstance-hydration/1"
FLAG = "--include-restricted-texts"


def hydrate_command(version: str) -> str:
    return f"newsstance hydrate ORG/NAME --revision v{version} --texts DIR --output dist/{version}-full"


def manifest_entry(step: ReleaseStep, kind: str, include_restricted: bool, version: str) -> dict:
    """The manifest's ``release``: its kind, the licences, and which articles' texts it withholds or holds."""
    ids = step.restricted
    entry = {"kind": kind, "redistributable_licenses": sorted(step.allowed),
             "article_licenses": dict(sorted(step.licences.items())),
             "withheld_articles": ids if kind == "public" else [],
             "restricted_texts_included": ids if kind != "public" else [],
             "include_restricted_texts": include_restricted}
    if kind == "public" and ids:
        entry["hydrate"] = {"file": HYDRATION, "command": hydrate_command(version)}
    return entry


def write_hydration(folder: Path, step: ReleaseStep) -> None:
    data = {"format": HYDRATION_FORMAT, "block_chars": BLOCK_CHARS,
            "articles": [a.to_json() for a in step.withheld]}
    (folder / HYDRATION).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def licence_details(step: ReleaseStep) -> str:
    """The card's ``license_details``: the licence of the annotations and of the article texts, counted."""
    counts = ", ".join(f"{n} {'with no known licence (all rights reserved)' if name == UNKNOWN else name}"
                       for name, n in sorted(step.licences.items()))
    annotations = step.annotations_license or "no licence stated (annotations_license in annotations/schema.yaml)"
    return (f"Annotations and documentation: {annotations}. Article texts: their publishers' licences, per article "
            f"in the documents config's `license` column ({counts}); texts under other licences than "
            f"{', '.join(sorted(step.allowed)) or 'none'} are withheld in the public release.")


def card_statement(step: ReleaseStep, kind: str, include_restricted: bool, version: str) -> str:
    """The card's paragraph on the release: which texts are withheld and how to hydrate them, or which are held."""
    text = statement(step.restricted, kind, include_restricted, version)
    unknown = [a.article_id for a in step.withheld if not a.url]
    if kind == "public" and unknown:
        text += "\n\n" + no_address(unknown)
    return text


def no_address(ids: list[str]) -> str:
    """Withheld articles whose url is not known: the card says so rather than send a reader to no address."""
    listed = ", ".join(f"`{i}`" for i in ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
    return (f"**Withheld without a known address:** {listed}: the `url` column is null; the `rights`, `outlet` and "
            f"`metadata_notes` columns say what is known of the source. Only a copy whose sha256 is the article's "
            f"`raw_sha256` hydrates; ask the dataset's maintainers where the text came from.")


def hydrated_statement(hydrated: list[str], left_out: list[str]) -> str:
    """What replaces the public release's paragraph in the card of a hydrated release."""
    text = (f"**Hydrated release:** the texts of {len(hydrated)} withheld article(s) were put back with "
            f"`newsstance hydrate`, each verified by its sha256; the Parquet files are those of the full build.")
    if left_out:
        text += f" Left out, still withheld (no copy): {', '.join(f'`{i}`' for i in left_out)}."
    return text


def statement(ids: list[str], kind: str, include_restricted: bool, version: str) -> str:
    if not ids:
        return "**Release:** every article text in this build may be redistributed under its licence."
    listed = ", ".join(f"`{i}`" for i in ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
    if kind == "public":
        return (f"**Public release:** the texts of {len(ids)} article(s) whose licence does not allow "
                f"redistribution ({listed}) are withheld: every field that carries their text is null (raw and "
                f"cleaned text, entity, evidence, debris and holder texts, ner tokens, stance contexts); ids, "
                f"offsets, labels, splits, url and the raw text's sha256 stay. Obtain each text from its "
                f"publisher (the `url` and `rights` columns), save it as `<article id>.txt`, then run "
                f"`{hydrate_command(version)}`: it checks each text's sha256 against `{HYDRATION}` and writes "
                f"the full release, byte-identical to the team's build.")
    if include_restricted:
        return (f"**Full release, published with `{FLAG}`:** it holds the texts of {len(ids)} article(s) whose "
                f"licence does not allow redistribution ({listed}); the publisher chose to include them.")
    return (f"**Full build, not for publishing:** it holds the texts of {len(ids)} article(s) whose licence does "
            f"not allow redistribution ({listed}); publish the public release (`newsstance build --release public`).")
