"""``python -m fptheory``: the command line."""

import sys

from fptheory.cli import main

sys.exit(main())
