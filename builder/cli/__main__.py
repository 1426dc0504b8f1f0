"""`python -m builder.cli`: the `newsstance` command."""

import sys

from builder.cli import main

sys.exit(main())
