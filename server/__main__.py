"""``python -m server`` runs the ``pith`` command."""

import sys

from .cli import main

sys.exit(main())
