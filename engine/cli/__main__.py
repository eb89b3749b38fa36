"""``python -m engine.cli``: the `subsidy` command."""

import sys

from . import main

sys.exit(main())
