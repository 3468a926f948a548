"""What every ``autoloan`` subcommand shares: the parser class, output, argument types, file reading.

Each command group is one module of :mod:`autoloan.cli` with two functions, ``register(sub)`` (adds its
subcommands, each with ``set_defaults(handler=...)``) and ``demo()`` (its section of ``autoloan demo``);
:data:`autoloan.cli.COMMANDS` lists the modules in order.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from autoloan.errors import InvalidInput

__all__ = [
    "Parser",
    "Subparsers",
    "UsageError",
    "iso_date",
    "json_default",
    "out",
    "positive_int",
    "progress_bar",
    "read_text",
    "save_figure",
]


class UsageError(Exception):
    """A bad command line; ``main`` prints it as one line and exits 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser that raises :class:`UsageError` instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[Parser]
else:
    Subparsers = argparse._SubParsersAction


def out(text: str) -> None:
    """Write ``text`` and a newline to stdout."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def iso_date(text: str) -> date:
    """An argparse type: a date as YYYY-MM-DD (also YYYY/MM/DD, as Excel and WPS write it)."""
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def json_default(value: object) -> str:
    """``json.dumps`` default: Decimals and dates as strings (money never becomes a float)."""
    if isinstance(value, Decimal | date):
        return str(value)
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return str(value.value)
    raise TypeError(type(value).__name__)


ENCODINGS = ("utf-8-sig", "gb18030")
"""Tried in order when no ``--encoding`` is given: UTF-8 (with or without BOM), then GB18030 (GBK)."""


def read_text(path: str, field: str, encoding: str | None = None) -> str:
    """The text of a file (``-`` is stdin), decoding UTF-8 with or without BOM, then GB18030.

    Raises :class:`~autoloan.errors.InvalidInput` naming ``field`` when the file cannot be read
    or decoded.
    """
    try:
        raw = sys.stdin.buffer.read() if path == "-" else _read_bytes(path)
    except OSError as exc:
        raise InvalidInput(field, path, f"cannot read the file ({exc.strerror or exc})") from None
    for enc in (encoding,) if encoding else ENCODINGS:
        try:
            return raw.decode(enc)
        except LookupError:
            raise InvalidInput("--encoding", enc, "unknown encoding") from None
        except UnicodeDecodeError:
            continue
    raise InvalidInput(field, path, "not UTF-8 or GB18030 text; pass --encoding")


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def save_figure(drawing: object, path: str) -> None:
    """Save a figure (or the figure of an Axes) from :mod:`autoloan.plot` to ``path`` (``--plot``).

    The library draws, the CLI saves: matplotlib's non-interactive Agg backend, 120 dpi.
    """
    try:
        import matplotlib
    except ImportError:
        raise InvalidInput("--plot", path, "drawing needs matplotlib: pip install 'autoloan[plot]'") from None
    matplotlib.use("Agg")
    figure = getattr(drawing, "figure", drawing)
    figure.savefig(path, dpi=120, bbox_inches="tight")  # type: ignore[attr-defined]


def progress_bar(label: str, stream: Any = None) -> Callable[[int, int], None] | None:
    """A ``progress(done, total)`` callback drawing a bar on stderr, or None when stdout is not a
    terminal (scripts and pipes get no bar)."""
    if not sys.stdout.isatty():
        return None
    err = stream if stream is not None else sys.stderr
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = 100 if total <= 0 else done * 100 // total
        if percent == shown[0]:
            return
        shown[0] = percent
        filled = percent * 30 // 100
        err.write(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% {done:,}/{total:,}")
        if done >= total:
            err.write("\n")
        err.flush()

    return progress
