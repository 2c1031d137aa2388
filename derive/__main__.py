"""``python -m derive``."""

from __future__ import annotations

import sys

from derive.cli import main

sys.exit(main())
