"""Whole books: the same exact rules over a table of loans, on one core, Dask or Spark.

* :func:`statuses` -- every ``AccountStatus`` field per loan (fast path over whole columns for the
  common case, ``account_status`` per loan otherwise);
* :func:`classify` -- every view of ``delinquency.classify_all`` per loan;
* :func:`synthetic` -- seeded, realistic books (CN and US mixes, payment behaviours);
* :mod:`autoloan.book.dask` and :mod:`autoloan.book.spark` -- the same on a cluster.

Tables are a mapping of column name to values, a ``pyarrow.Table`` or a ``pandas.DataFrame``;
results come back as the same kind. Schemas: :mod:`autoloan.book.schema`.

>>> from datetime import date
>>> from autoloan import book
>>> loans, payments = book.synthetic(3, seed=1, as_of=date(2026, 6, 30))
>>> st = book.statuses(loans, payments, as_of=date(2026, 6, 30))
>>> len(st["loan_id"]) == 3
True
"""

from __future__ import annotations

from autoloan.book.decisions import Decided, decide
from autoloan.book.grades import classify
from autoloan.book.portfolio import BookRun, simulate, stressed
from autoloan.book.schema import CONTACTS, LOANS, PAYMENTS, STATUS_COLUMNS, Column
from autoloan.book.status import Collected, statuses
from autoloan.book.synthetic import synthetic

__all__ = [
    "CONTACTS",
    "LOANS",
    "PAYMENTS",
    "STATUS_COLUMNS",
    "BookRun",
    "Collected",
    "Column",
    "Decided",
    "classify",
    "decide",
    "simulate",
    "statuses",
    "stressed",
    "synthetic",
]
