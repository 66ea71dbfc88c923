"""``python -m scripts.runtime ...``: the same as ``plivo-connector run ...``."""

import sys

from .cli import main

sys.exit(main())
