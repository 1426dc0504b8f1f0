"""The `newsstance` command: one module per subcommand, each registered on one parser.

Each subcommand module has a ``register(subparsers)`` function that declares its arguments and sets
``func``; the function only parses arguments and
calls the library. Library modules are imported inside ``func``, never at the top of a command
module, so that ``--help`` and usage errors load no spaCy, datasets or pyarrow.
Exit codes: 0 success, 1 the input or the result has problems (listed), or the operating system
failed (a coded message, never a traceback), 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys

from builder.cli.failures import os_problem
from builder.errors import NewsstanceError, problem
from builder.sources import limits

# one module per subcommand, in the order `--help` lists them
COMMANDS = ("init", "validate", "build", "stats", "agreement", "evaluate", "importing", "exporting", "publish", "verify")
COMMANDS += ("review", "adjudicate")  # issue 19: the review site, draft adjudication
COMMANDS += ("hydrate",)  # issue 18: the full release from a public one and the texts


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsstance",
        description="Validate, build, measure and publish the newsstance dataset "
                    "(news articles with entities, stances and cleaned text).",
        epilog="Run `newsstance COMMAND --help` for a command's options. "
               "Exit codes: 0 ok, 1 problems found (all listed), 2 wrong usage.",
    )
    parser.add_argument("--limit", action="append", default=[], metavar="NAME=N",
                        help="raise or lower one size limit of the inputs for this run (e.g. article_bytes=20000000); "
                             "wins over `limits:` in annotations/schema.yaml; the names are in annotations/README.md")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        # __import__, unlike importlib.import_module, is logged by `python -X importtime`: tests/test_cli.py
        # tells from that log which command module imports a heavy library
        __import__(f"{__name__}.{name}")
        sys.modules[f"{__name__}.{name}"].register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        limits.set_overrides(dict(limits.parse_override(text) for text in args.limit))
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, so that a closed pipe is seen while its error can still be worded
        return code
    except NewsstanceError as exc:
        print(f"newsstance {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python exits
        except (OSError, ValueError):  # a stdout without a descriptor (replaced by a caller) has nothing to flush
            pass
        print(f"newsstance {args.command}: {problem('E817', '<stdout>')}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"newsstance {args.command}: {os_problem(exc)}", file=sys.stderr)
        return 1
