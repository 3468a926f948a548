"""Borrower behaviour for simulations: scripted events, or a seeded random model.

The random model draws every decision from SHA-256 of ``(seed, account, day, purpose)``, so a run
is the same in every process and on every machine (no ``random`` module, no global state).

>>> from datetime import date
>>> b = Behaviour.random(seed=7, pay_probability={"early": "0.2"})
>>> b.draw("L1", date(2026, 3, 1), "pay") == b.draw("L1", date(2026, 3, 1), "pay")
True
>>> 0 <= b.draw("L1", date(2026, 3, 1), "pay") < 1_000_000
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from autoloan.compliance import ActionKind, Outcome
from autoloan.errors import InvalidInput
from autoloan.policy.case import Promise
from autoloan.servicing import Payment

__all__ = ["Behaviour"]

PPM = 1_000_000


def _ppm(value: Any, field: str) -> int:
    """A probability as parts per million (exact for decimal strings)."""
    if isinstance(value, bool):
        raise InvalidInput(field, value, "must be a probability from 0 to 1")
    try:
        dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(field, value, "must be a probability from 0 to 1") from None
    if not dec.is_finite() or not 0 <= dec <= 1:
        raise InvalidInput(field, value, "must be a probability from 0 to 1")
    return int((dec * PPM).to_integral_value())


@dataclass(frozen=True, slots=True)
class Behaviour:
    """What the borrower does during a simulation. Build with :meth:`scripted` or :meth:`random`."""

    mode: str
    payments: tuple[Payment, ...] = ()
    promises: tuple[Promise, ...] = ()
    outcomes: tuple[tuple[ActionKind, Outcome], ...] = ()
    seed: int = 0
    pay_ppm: tuple[tuple[str, int], ...] = ()
    default_pay_ppm: int = 0
    on_time_ppm: int = 0
    partial_ppm: int = 0
    answer_ppm: int = 0
    promise_ppm: int = 0
    keep_ppm: int = 0
    take_offer_ppm: int = 0

    @classmethod
    def scripted(
        cls,
        payments: Iterable[Payment] = (),
        promises: Iterable[Promise] = (),
        outcomes: Mapping[str, str] | None = None,
    ) -> Behaviour:
        """Fixed events: ``payments`` (posted at noon local time on their dates), ``promises`` (made on
        ``made_on``, or on their due date minus 3 days) and the outcome of each executed action
        kind (default: calls unanswered, messages and letters delivered, visits a conversation).

        >>> from datetime import date
        >>> Behaviour.scripted(payments=[Payment(date(2026, 3, 1), 100)]).mode
        'scripted'
        """
        try:
            pays = tuple(payments)
            proms = tuple(promises)
        except TypeError:
            raise InvalidInput(
                "behaviour", (payments, promises), "payments and promises must be sequences"
            ) from None
        for i, p in enumerate(pays):
            if not isinstance(p, Payment):
                raise InvalidInput(f"payments[{i}]", p, "must be a servicing.Payment")
        for i, pr in enumerate(proms):
            if not isinstance(pr, Promise):
                raise InvalidInput(f"promises[{i}]", pr, "must be a policy.Promise")
        pairs: list[tuple[ActionKind, Outcome]] = []
        if outcomes is not None:
            if not isinstance(outcomes, Mapping):
                raise InvalidInput("outcomes", outcomes, "must map action kinds to outcomes")
            for k, v in outcomes.items():
                kind = ActionKind.parse(k, f"outcomes[{k!r}]")
                try:
                    outcome = Outcome(v)
                except ValueError:
                    raise InvalidInput(
                        f"outcomes[{k!r}]", v, "must be an outcome: " + ", ".join(o.value for o in Outcome)
                    ) from None
                pairs.append((kind, outcome))
        return cls("scripted", pays, proms, tuple(sorted(pairs)))

    @classmethod
    def random(
        cls,
        seed: int,
        *,
        pay_probability: Any = "0.08",
        on_time: Any = "0.9",
        partial: Any = "0.3",
        answer: Any = "0.4",
        promise: Any = "0.5",
        keep: Any = "0.6",
        take_offer: Any = "0.2",
    ) -> Behaviour:
        """A seeded random borrower. ``pay_probability``: chance per day of paying while past due,
        a number or a mapping by stage id (``"*"``: the rest); ``on_time``: chance of paying an
        installment on its due date while current; ``partial``: share of payments that cover half
        the arrears; ``answer``: chance a call or visit reaches the borrower; ``promise``: chance a
        conversation ends with a promise to pay in 3 days; ``keep``: chance a promise is kept;
        ``take_offer``: chance an offered arrangement is taken.

        >>> Behaviour.random(seed=1).answer_ppm
        400000
        """
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise InvalidInput("seed", seed, "must be an integer from 0 to 2**63 - 1")
        if isinstance(pay_probability, Mapping):
            pairs = []
            for k, v in pay_probability.items():
                if not isinstance(k, str):
                    raise InvalidInput("pay_probability", k, "keys must be stage ids")
                pairs.append((k, _ppm(v, f"pay_probability[{k!r}]")))
            default = dict(pairs).get("*", _ppm("0.08", "pay_probability"))
            by_stage = tuple(sorted(p for p in pairs if p[0] != "*"))
        else:
            default = _ppm(pay_probability, "pay_probability")
            by_stage = ()
        return cls(
            "random",
            seed=seed,
            pay_ppm=by_stage,
            default_pay_ppm=default,
            on_time_ppm=_ppm(on_time, "on_time"),
            partial_ppm=_ppm(partial, "partial"),
            answer_ppm=_ppm(answer, "answer"),
            promise_ppm=_ppm(promise, "promise"),
            keep_ppm=_ppm(keep, "keep"),
            take_offer_ppm=_ppm(take_offer, "take_offer"),
        )

    def draw(self, account_id: str, day: date, purpose: str) -> int:
        """A uniform draw in ``[0, 1_000_000)`` from SHA-256 of (seed, account, day, purpose)."""
        digest = hashlib.sha256(f"{self.seed}:{account_id}:{day.isoformat()}:{purpose}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % PPM

    def chance(self, ppm: int, account_id: str, day: date, purpose: str) -> bool:
        """True with probability ``ppm`` / 1,000,000 (deterministic)."""
        return ppm > 0 and self.draw(account_id, day, purpose) < ppm

    def pay_chance(self, stage_id: str) -> int:
        """Parts per million of paying on a day while in ``stage_id``."""
        for sid, ppm in self.pay_ppm:
            if sid == stage_id:
                return ppm
        return self.default_pay_ppm

    def outcome(self, kind: ActionKind, account_id: str, day: date, n: int) -> Outcome:
        """The outcome of the ``n``-th executed action of a day."""
        if self.mode == "scripted":
            for k, o in self.outcomes:
                if k is kind:
                    return o
        reach = kind in (ActionKind.CALL, ActionKind.VISIT)
        if not reach:
            return Outcome.DELIVERED
        if self.mode == "scripted":
            return Outcome.CONVERSATION if kind is ActionKind.VISIT else Outcome.NO_ANSWER
        if self.chance(self.answer_ppm, account_id, day, f"answer{n}"):
            return Outcome.CONVERSATION
        return Outcome.NO_ANSWER
