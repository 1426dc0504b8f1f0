"""A public release + the user's own copies of the withheld texts -> the full release, byte for byte.

Every copy is verified first (``texts``); any problem stops everything before a byte is written (a copy
that is simply missing only with ``skip_missing``: its article stays withheld and the result names it).
Then each Parquet file is read row group by row group, the withheld values of the hydrated articles are
made again by ``fields.restored_row`` (the build's own code, from the raw text and the offsets the release
kept) and written by the build's ``ParquetSink`` in row groups of the release's size: the files are the
bytes of the team's ``--release full`` build. The card is copied, ``croissant.json`` gets the new sha256
of each file, and the manifest says what was hydrated and what was left out.
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from builder.errors import InputError, PublishError, problem
from builder.output.folder import staged_output
from builder.output.lock import build_lock
from builder.output.manifest import MANIFEST, manifest_outputs, write_json
from builder.output.parquet import ParquetSink
from builder.publish.folder import CARD
from builder.release.croissant import CROISSANT, with_checksums, write_document
from builder.release.fields import ArticleText, article_column, article_text, restored_row, unrestored_field
from builder.release.record import HYDRATION, hydrated_statement, statement
from builder.release.texts import Expected, find_copies, missing_problems
from builder.views import VIEWS


@dataclass(frozen=True, slots=True)
class Hydrated:
    output: Path
    hydrated: tuple[str, ...]
    left_out: tuple[str, ...]  # missing copies, with skip_missing: still withheld


def not_public(folder: Path, detail: str) -> InputError:
    return InputError([problem("E906", folder, folder=folder, detail=detail)])


def read_release(folder: Path) -> tuple[dict, list[Expected]]:
    """The release's manifest and the withheld texts it records."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise not_public(folder, f"no readable {MANIFEST} ({exc})") from None
    release = manifest.get("release") or {}
    if release.get("kind") != "public":
        raise not_public(folder, f"its manifest says release {release.get('kind')!r}, not 'public'")
    if not release.get("withheld_articles"):
        return manifest, []
    try:
        data = json.loads((folder / HYDRATION).read_text(encoding="utf-8"))
        return manifest, [Expected.of(entry) for entry in data["articles"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise not_public(folder, f"its {HYDRATION} cannot be read ({exc!r})") from None


def config_order(path: str) -> tuple[int, str]:
    """documents first (the other configs' texts are made from its rows), then the order of VIEWS."""
    config = path.split("/")[0]
    return (list(VIEWS).index(config) if config in VIEWS else len(VIEWS), path)


def hydrate_file(source: Path, target: Path, config: str, texts: dict[str, str], articles: dict[str, ArticleText]) -> int:
    """One Parquet file with the texts of ``texts``' articles made again; its row count."""
    parquet = pq.ParquetFile(source)
    schema = Features.from_arrow_schema(parquet.schema_arrow).arrow_schema  # the build's (lists' items named "item")
    column = article_column(schema)
    groups = parquet.metadata.num_row_groups
    size = max(parquet.metadata.row_group(0).num_rows, 1) if groups else 1
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet") as encoder:
        sink = ParquetSink(target, schema, size, encoder)
        for i in range(groups):
            rows = parquet.read_row_group(i).to_pylist()
            for n, row in enumerate(rows):
                article = row[column]
                if article not in texts:
                    continue
                if config == "documents":
                    articles[article] = article_text(row, texts[article])
                rows[n] = restored = restored_row(row, config, articles[article])
                if (missing := unrestored_field(restored, config, schema)) is not None:
                    raise InputError([problem("E908", source, f"article {article}", config=config, row=row["id"],
                                              field=missing)])
            sink.add(pa.RecordBatch.from_pylist(rows, schema=schema))
        sink.close()
    return sink.rows


def hydrate_folder(release: Path, texts_dir: Path, output: Path, *, skip_missing: bool = False) -> Hydrated:
    """Hydrate the public release in the folder ``release`` with the copies in ``texts_dir`` into ``output``."""
    release, texts_dir = Path(release), Path(texts_dir)
    manifest, wanted = read_release(release)
    copies = find_copies(texts_dir, wanted)
    problems = list(copies.problems)
    if copies.missing and not skip_missing:
        problems += missing_problems(texts_dir, wanted, copies.missing)
    if problems:
        raise InputError(problems)
    outputs = manifest["outputs"]
    parquet = sorted((p for p in outputs if p.endswith(".parquet")), key=config_order)
    articles: dict[str, ArticleText] = {}
    with build_lock(output), staged_output(output) as staging:  # a second run's clean-up would take our staging
        rows = {}
        for path in parquet:
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            rows[path] = hydrate_file(release / path, staging / path, path.split("/")[0], copies.texts, articles)
        for path in outputs:
            if not path.endswith(".parquet") and path not in (CROISSANT, HYDRATION, CARD):
                (staging / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(release / path, staging / path)
        hydrated = tuple(a for a in manifest["release"]["withheld_articles"] if a in copies.texts)
        if CARD in outputs:
            card = (release / CARD).read_text(encoding="utf-8")
            public = statement(manifest["release"]["withheld_articles"], "public", False, manifest["version"])
            (staging / CARD).write_text(card.replace(public, hydrated_statement(list(hydrated), list(copies.missing))),
                                        encoding="utf-8")
        written = manifest_outputs(staging, rows)
        if (release / CROISSANT).is_file():
            document = json.loads((release / CROISSANT).read_text(encoding="utf-8"))
            write_document(staging / CROISSANT, with_checksums(document, {p: written[p]["sha256"] for p in parquet}))
        manifest["release"] = {"kind": "hydrated", "hydrated_articles": list(hydrated),
                               "left_out_articles": list(copies.missing), "from": manifest["release"]}
        manifest["outputs"] = manifest_outputs(staging, rows)
        write_json(staging / MANIFEST, manifest)
    return Hydrated(Path(output), hydrated, copies.missing)


REPO_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*")


def release_folder(release: str, revision: str | None, scratch: Path) -> Path:
    """The folder of ``release``: a local folder, else a Hub id downloaded into ``scratch``. A name that is
    no Hub id, or whose first part is a local folder (``dist/1.0.0-pubic``), is a folder that is not there."""
    path = Path(release)
    if path.is_dir():
        return path
    if path.exists() or not REPO_ID.fullmatch(release) or path.parent.is_dir():
        raise not_public(path, "not a folder" if path.exists() else "there is no such folder")
    return download_release(release, revision or "main", scratch)


def download_release(repo_id: str, revision: str, folder: Path, endpoint: str | None = None) -> Path:
    """The files of a release on the Hub at ``revision``, into ``folder``."""
    from huggingface_hub import snapshot_download

    from builder.publish.hub import hub_errors

    try:
        return Path(snapshot_download(repo_id, repo_type="dataset", revision=revision, local_dir=folder,
                                      endpoint=endpoint))
    except (*hub_errors(), OSError) as exc:
        raise PublishError(str(problem("E907", repo_id, repo_id=repo_id, revision=revision, detail=exc))) from exc
