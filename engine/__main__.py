"""`python -m engine` is `utask-engine`."""

import sys

from engine.cli import main

sys.exit(main())
