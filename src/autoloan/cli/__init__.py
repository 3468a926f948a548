"""The ``autoloan`` command line. With ``__main__.py`` the only code that does I/O.

Each command group is a module here with ``register(sub)`` and ``demo()``; :data:`COMMANDS` lists
them, so adding a command group is one new module and one entry. ``main`` turns every
:class:`~autoloan.errors.AutoloanError` and bad argument into one line on stderr and exit 2 — never a
traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from autoloan import __version__
from autoloan.cli import book, compliance, delinquency, policy, rates, schedule, servicing
from autoloan.cli.common import Parser, Subparsers, UsageError
from autoloan.errors import AutoloanError

__all__ = ["COMMANDS", "build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]

COMMANDS: tuple[ModuleType, ...] = (schedule, rates, servicing, delinquency, compliance, policy, book)
"""The command-group modules, in the order of ``--help`` and of ``autoloan demo``."""


def _cmd_demo(args: argparse.Namespace) -> int:
    for module in COMMANDS:
        module.demo()
    return 0


def _register_demo(sub: Subparsers) -> None:
    d = sub.add_parser("demo", help="show what autoloan does, on embedded sample data")
    d.set_defaults(handler=_cmd_demo)


def build_parser() -> Parser:
    """The argument parser with every registered subcommand."""
    parser = Parser(prog="autoloan", description="Exact auto-loan arithmetic and collections rules.")
    parser.add_argument("--version", action="version", version=f"autoloan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMANDS:
        module.register(sub)
    _register_demo(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 2
        return handler(args)
    except SystemExit as exc:  # --help and --version print and stop: an exit code, not an exception
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    except AutoloanError as exc:
        sys.stderr.write(f"autoloan: error: {exc}\n")
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. `autoloan schedule | head`
        return 0
    except OSError as exc:
        sys.stderr.write(f"autoloan: error: {exc}\n")
        return 2
