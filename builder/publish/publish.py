"""One commit to the Hub, then the version tag.

A build folder (``README.md`` card, ``<config>/<split>-*.parquet``, ``manifest.json``) becomes the whole
content of a dataset repo's ``main`` in one commit -- new and changed files uploaded, files of the
previous version deleted -- and that commit is tagged ``v<version>``. A published tag never changes:

- the tag exists and holds the same files: nothing to do, and the report says so;
- the tag exists and holds other files: refused (E502), the version has to be bumped;
- ``main`` already holds the files but the tag is missing (an earlier run stopped after its commit):
  only the tag is created.

The tag is created only after the commit succeeded, so a failure at any point leaves no tag and
running the command again completes the publish. The steps have their own modules: ``folder`` reads
the build, ``hub`` what the repo holds, ``plan`` compares the two, ``report`` says what happened.

The token is whatever ``huggingface_hub`` finds (``HF_TOKEN``, then the saved login, unless one is
passed); it goes into request headers only, and is removed from any error text this module reports.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from builder.errors import PublishError, problem
from builder.publish.folder import BuiltFolder, read_build
from builder.publish.hub import REPO_TYPE, hub_api, hub_errors, remote_files, remote_state, resolved_token, scrub
from builder.publish.plan import Outcome, Plan, plan_publish
from builder.publish.report import load_call
from builder.publish.rights import check_rights


def publish(folder: Path, *, repo_id: str, private: bool = False, dry_run: bool = False,
            token: str | None = None, endpoint: str | None = None, include_restricted_texts: bool = False) -> Outcome:
    """Publish the build in ``folder`` to the dataset repo ``repo_id``: one commit, then the tag."""
    build = read_build(folder)
    check_rights(folder, include_restricted_texts=include_restricted_texts)
    token = resolved_token(token)
    if token is None and not dry_run:
        raise PublishError(str(problem("E505", repo_id)))
    api = hub_api(token, endpoint)
    state = remote_state(api, repo_id, token)
    if state.exists and private and not state.private:
        raise PublishError(str(problem("E507", repo_id, repo_id=repo_id)))
    tag_commit = state.tag_commit(build.tag)
    tag_files = remote_files(api, repo_id, tag_commit, token) if tag_commit else None
    main_files = remote_files(api, repo_id, state.main, token) if state.exists and state.main else {}
    plan = plan_publish(build, repo_id, state, main_files, tag_files,
                        private=bool(state.private) if state.exists else private)
    if plan.create_repo and not dry_run:
        plan = replace(plan, base_commit=create_repo(api, repo_id, private, token))
    call = load_call(repo_id, build.configs[0], build.tag)
    if dry_run or plan.status == "unchanged":
        return Outcome(plan=plan, dry_run=dry_run, commit=plan.base_commit if plan.status != "commit" else None,
                       load_call=call, other_configs=build.configs[1:])
    commit = push_commit(api, build, plan, token) if plan.status == "commit" else plan.base_commit
    create_tag(api, repo_id, build, commit, token)
    return Outcome(plan=plan, dry_run=False, commit=commit, load_call=call, other_configs=build.configs[1:])


def create_repo(api, repo_id: str, private: bool, token: str | None) -> str | None:
    """Create the dataset repo; its ``main`` (the Hub's initial commit)."""
    try:
        api.create_repo(repo_id, repo_type=REPO_TYPE, private=private, exist_ok=True)
    except hub_errors() as exc:
        raise PublishError(str(problem("E508", repo_id, repo_id=repo_id, namespace=repo_id.split("/")[0],
                                       detail=scrub(exc, token)))) from exc
    return remote_state(api, repo_id, token).main


def push_commit(api, build: BuiltFolder, plan: Plan, token: str | None) -> str:
    """The plan's uploads and deletions as one commit on ``main`` over ``plan.base_commit``; its id."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    operations = [CommitOperationAdd(item.path, str(build.root / item.path)) for item in plan.upload]
    operations += [CommitOperationDelete(path) for path in plan.delete]
    try:
        info = api.create_commit(plan.repo_id, operations, commit_message=plan.commit_message,
                                 commit_description=plan.commit_description, repo_type=REPO_TYPE,
                                 revision="main", parent_commit=plan.base_commit)
    except hub_errors() as exc:
        raise PublishError(str(problem("E503", plan.repo_id, repo_id=plan.repo_id,
                                       detail=scrub(exc, token)))) from exc
    return info.oid


def create_tag(api, repo_id: str, build: BuiltFolder, commit: str, token: str | None) -> None:
    """Tag ``commit`` v<version>."""
    try:
        api.create_tag(repo_id, tag=build.tag, revision=commit, tag_message=f"{build.dataset} {build.version}",
                       repo_type=REPO_TYPE)
    except hub_errors() as exc:
        raise PublishError(str(problem("E504", repo_id, repo_id=repo_id, commit=commit, tag=build.tag,
                                       detail=scrub(exc, token)))) from exc
