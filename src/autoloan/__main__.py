"""``python -m autoloan`` runs the command-line interface."""

from autoloan.cli import main

raise SystemExit(main())
