"""What `newsstance publish` prints: the plan, then what was done, then how to load the result."""

from __future__ import annotations

from builder.publish.plan import Outcome


def load_call(repo_id: str, config: str, revision: str) -> str:
    return f'load_dataset("{repo_id}", "{config}", revision="{revision}")'


def report_lines(outcome: Outcome) -> list[str]:
    """The lines, in order; a dry run says what it would do and gives no load call."""
    plan = outcome.plan
    would = "would " if outcome.dry_run else ""
    lines = []
    if outcome.dry_run:
        lines.append("dry run: nothing is uploaded, deleted, created or tagged")
    if plan.status == "unchanged":
        lines.append(f"{plan.tag} is already published on {plan.repo_id} with identical content "
                     f"(commit {plan.base_commit}): nothing to do")
    else:
        if plan.create_repo:
            lines.append(f"{would}create the dataset repo {plan.repo_id} "
                         f"({'private' if plan.private else 'public'})")
        for item in plan.upload:
            lines.append(f"  {would}upload  {item.path:<48} {item.size:>12,} bytes")
        for path in plan.delete:
            lines.append(f"  {would}delete  {path}")
        if plan.unchanged:
            lines.append(f"  unchanged: {len(plan.unchanged)} file(s)")
        if plan.status == "commit":
            lines.append(f"commit message: {plan.commit_message}")
        else:
            lines.append(f"main already holds this content (commit {plan.base_commit}); "
                         f"an earlier run stopped before tagging it")
        if outcome.dry_run:
            lines.append(f"{would}tag the commit {plan.tag}")
        else:
            done = "committed" if plan.status == "commit" else "found"
            lines.append(f"{done} {outcome.commit} on main, tagged {plan.tag}")
    if not outcome.dry_run:
        lines.append("load it with:")
        lines.append("    from datasets import load_dataset")
        lines.append(f"    {outcome.load_call}")
        if outcome.other_configs:
            lines.append(f"other configs: {', '.join(outcome.other_configs)}")
        if plan.private:
            lines.append("the repo is private: loading it needs a token (HF_TOKEN or `hf auth login`)")
    return lines
