"""Rates: the regulatory APR, IRR and XIRR, China's 年化利率, and the RATE/NPER solvers.

Every rate here is the root of one cash-flow equation, solved by one engine:

* :func:`apr_actuarial` — the US Truth in Lending APR, actuarial method of 12 CFR 1026 Appendix J
  (unit-periods, fractional unit-periods with simple interest, nominal result);
* :func:`aprc_eu` — the EU annual percentage rate of charge, Directive 2008/48/EC Annex I
  (time in years from the first drawdown, effective result);
* :func:`irr` (nominal annual), :func:`xirr` (effective, Actual/365), :func:`annualized_rate` and
  :func:`flat_rate_to_apr` (China's 年化利率 of an instalment or 手续费 offer, IRR method);
* :func:`solve_rate` (Excel ``RATE``) and :func:`solve_term` (``NPER`` in whole payments).

The solver brackets the root and runs Newton's method with a bisection safeguard, in a bounded number
of steps. The float iteration only *proposes* the answer: the result is rounded to 10 decimal places
(a fraction, so 1e-8 percentage points) and then *certified* by evaluating the equation in 50-digit
Decimal arithmetic (an explicit context) on both sides of the rounding interval. If the certificate
fails, the root is recomputed entirely in Decimal. A loan's shape (one advance, then repayments in runs
of consecutive periods) has exactly one root, so it is first proposed by a bracket-free Newton iteration
with runs of equal payments summed in closed form, under the same certificate (decided in float first
when the float values at the interval's ends are clear of zero by a rigorous error bound, which proves
what the Decimal evaluation would find; in Decimal otherwise); a regular monthly
Appendix J series skips the payment-by-payment timing work (each payment is one more whole month than
the one before). Any doubt falls back to the general code. When the cash flows have no sign change (no
root) or more than one (several roots are possible), :class:`~autoloan.errors.NoSolution` says so
instead of returning a root that may be the wrong one.

>>> from datetime import date
>>> from autoloan.rates import apr_actuarial, xirr, solve_rate
>>> # 12 CFR 1026 App. J (c)(1)(i): $5,000 advanced 1978-01-10, 24 monthly payments of $230.00
>>> pays = [(date(1978 + (k + 1) // 12, (k + 1) % 12 + 1, 10), "230.00") for k in range(24)]
>>> round(apr_actuarial(5000, date(1978, 1, 10), pays) * 100, 2)
Decimal('9.69')
>>> xirr([(date(2025, 1, 1), -100), (date(2026, 1, 1), 200)])
Decimal('1.0000000000')
>>> round(solve_rate(8000, 200, 48) * 100, 2)  # Excel RATE(48, -200, 8000) * 12
Decimal('9.24')
"""

from __future__ import annotations

import decimal
import functools
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from autoloan.dates import Frequency, coerce_date
from autoloan.errors import InvalidInput, NoSolution
from autoloan.money import Rounding, round_fraction, to_decimal, to_minor, to_rate
from autoloan.money import currency as _currency

if TYPE_CHECKING:  # pragma: no cover - typing only; amortization imports lazily to avoid a cycle
    from autoloan.amortization import LoanTerms

__all__ = [
    "PLACES",
    "AprResult",
    "AprTiming",
    "UnitPeriod",
    "annualized_rate",
    "apr",
    "apr_actuarial",
    "apr_actuarial_detail",
    "apr_tolerance",
    "apr_tolerance_ok",
    "aprc_eu",
    "effective_rate",
    "flat_rate_to_apr",
    "irr",
    "solve_rate",
    "solve_term",
    "xirr",
]

#: Decimal places of every rate returned (as a fraction: 10 places = 1e-8 percentage points).
PLACES = 10
_QUANTUM = Decimal("1E-10")  # 10 ** -PLACES
_HALF_ULP = Decimal("5E-11")
#: The explicit context of the exact evaluation (never the global one).
_CTX = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_FLOAT_ITERATIONS = 200
_DECIMAL_ITERATIONS = 400
_MAX_PERIODIC_RATE = 1e9  # above this the "rate" is meaningless; NoSolution instead of a search forever
_MAX_TERM_SEARCH = 100_000  # solve_term refuses to count further
_MAX_RESULT = 1e30  # a rate (as a fraction) beyond this is refused: it would not fit the 50-digit context

# 12 CFR 1026.22(a)(2): the APR is accurate if within 1/8 of 1 percentage point of the computed APR;
# 1026.22(a)(3): within 1/4 of 1 percentage point in an irregular transaction.
_TOLERANCE_REGULAR = Decimal("0.00125")
_TOLERANCE_IRREGULAR = Decimal("0.0025")


# ---------------------------------------------------------------------------------------------------
# The cash-flow equation and its solver
# ---------------------------------------------------------------------------------------------------

N = TypeVar("N", float, Decimal)
Exponent = int | Fraction
Flow = tuple[Exponent, Exponent, Decimal]


@dataclass(slots=True)  # never mutated; not frozen only because a frozen one costs ~1 µs to construct
class _Run:
    """``count`` equal flows at exponents ``start, start + step, …`` with simple-interest fraction ``frac``.

    Flow ``k`` is discounted by ``1 / ((1 + frac·r) · (1 + r) ** (start + k·step))`` — Appendix J's general
    equation when ``start`` is a whole number of unit-periods, a compound discount in years otherwise.
    ``amount`` is positive for money paid to the lender, negative for money advanced.
    """

    amount: Decimal
    start: Exponent
    step: Exponent
    count: int
    frac: Exponent


_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)
_FIRST_TWO = operator.itemgetter(0, 1)


def _runs(flows: Iterable[Flow]) -> list[_Run]:
    """Merge (exponent, fraction, amount) flows at equal times and compress equal, evenly spaced ones."""
    items = list(flows)
    keys = list(map(_FIRST_TWO, items))
    ordered = all(map(operator.lt, keys, keys[1:]))
    if not ordered:
        merged: dict[tuple[Exponent, Exponent], Decimal] = {}
        for t, f, amount in items:
            merged[(t, f)] = _CTX.add(merged.get((t, f), Decimal(0)), amount)
        items = [(t, f, a) for (t, f), a in sorted(merged.items())]
    # Each run as a mutable [amount, start, step, count, frac] while building; frozen at the end.
    acc: list[list[Any]] = []
    for t, f, amount in items:
        if amount == 0:
            continue
        if acc:
            last = acc[-1]
            if last[0] == amount and (last[4] is f or last[4] == f):
                if last[3] == 1:
                    last[2] = t - last[1]
                    last[3] = 2
                    continue
                if t - last[1] == last[2] * last[3]:
                    last[3] += 1
                    continue
        acc.append([amount, t, 1, 1, f])
    return [_Run(*run) for run in acc]


def _sign(x: float | Decimal) -> int:
    return (x > 0) - (x < 0)


def _run_float(
    amount: float,
    t: float,
    h: float,
    n: int,
    f: float,
    r: float,
    g: float,
    base: float,
    q: float,
    qn: float,
    one_q: float,
) -> tuple[float, float]:
    """Present value at ``r`` of ``n`` equal payments ``amount`` at times ``t, t+h, … t+(n-1)h`` (in unit
    periods, with fractional period ``f`` as simple interest), and its derivative in ``r``.

    ``g = 1 + r``, ``base = g ** -t``, and for ``n > 1``: ``q = g ** -h``, ``qn = g ** -(h·n)``,
    ``one_q = 1 − q`` (each caller computes these as accurately as it can). Shared by the general and
    the loan-shaped float evaluations.
    """
    if n == 1:
        geo, kgeo = 1.0, 0.0
    elif q == 1.0:  # r == 0: the sums below, in closed form (exact in float)
        geo, kgeo = float(n), float(n * (n - 1) // 2)
    elif abs(1.0 - q) < 1e-6:
        geo = kgeo = 0.0
        qk = 1.0
        for k in range(n):
            geo += qk
            kgeo += k * qk
            qk *= q
    else:
        geo = (1.0 - qn) / one_q
        kgeo = (q - n * qn + (n - 1) * qn * q) / (one_q * one_q)
    pv = base * geo
    dpv = -(t * geo + h * kgeo) * base / g
    if f:
        s = 1.0 / (1.0 + f * r)
        return amount * s * pv, amount * (s * dpv - f * s * s * pv)
    return amount * pv, amount * dpv


class _FloatTrouble(Exception):
    """The float iteration overflowed or lost its way; the Decimal path takes over."""


class _Arith(Generic[N]):
    """The constants and conversion the solver needs, for float or for Decimal (under ``_CTX``)."""

    zero: N
    one: N

    def num(self, x: Exponent) -> N:
        raise NotImplementedError


class _FloatArith(_Arith[float]):
    zero = 0.0
    one = 1.0

    def num(self, x: Exponent) -> float:
        return float(x)


class _DecimalArith(_Arith[Decimal]):
    zero = Decimal(0)
    one = Decimal(1)

    def num(self, x: Exponent) -> Decimal:
        if isinstance(x, int):
            return Decimal(x)
        if x.denominator == 1:
            return Decimal(x.numerator)
        return _CTX.divide(Decimal(x.numerator), Decimal(x.denominator))


_F = _FloatArith()
_D = _DecimalArith()


# A run with Decimal exponents: (amount, start, step, count, fraction, and start, step, fraction exact).
_DecRun = tuple[Decimal, Decimal, Decimal, int, Decimal, Exponent, Exponent, Exponent]


class _Equation:
    """``value(r) = Σ amount_k / ((1 + f_k·r)(1 + r) ** t_k)`` and its derivative."""

    __slots__ = ("_dec_runs", "_flt", "_vec", "first_sign", "last_sign", "runs")

    def __init__(self, runs: list[_Run]) -> None:
        self.runs = runs
        if not runs:
            raise NoSolution("all cash flows are zero, so every rate solves the equation")
        signs = [_sign(r.amount) for r in runs]
        changes = sum(1 for a, b in itertools.pairwise(signs) if a != b)
        if changes == 0:
            raise NoSolution(
                "the cash flows never change sign (money only goes one way), so no rate balances them",
                flows=sum(r.count for r in runs),
            )
        if changes > 1:
            raise NoSolution(
                "the cash flows change sign more than once, so several rates may balance them "
                "and the root is ambiguous",
                sign_changes=changes,
            )
        self.first_sign = signs[0]  # the sign of value(r) above the root (r -> +inf)
        self.last_sign = signs[-1]  # the sign of value(r) below the root (r -> -1)
        self._flt = [(float(r.amount), float(r.start), float(r.step), r.count, float(r.frac)) for r in runs]
        self._dec_runs: list[_DecRun] = []
        # Many short runs at whole exponents without fractions (XIRR's day counts): evaluate flow by flow
        # with C-level maps instead of run by run in Python.
        self._vec: tuple[list[float], list[float], list[float]] | None = None
        whole = all(
            type(r.start) is int and type(r.step) is int and f[4] == 0.0
            for r, f in zip(runs, self._flt, strict=True)
        )
        if len(runs) >= 8 and sum(r.count for r in runs) <= 5000 and whole:
            times = [float(r.start + k * r.step) for r in runs for k in range(r.count)]
            amounts = [f[0] for f in self._flt for _ in range(f[3])]
            weighted = [a * t for a, t in zip(amounts, times, strict=True)]
            self._vec = ([-t for t in times], amounts, weighted)

    @property
    def _dec(self) -> list[_DecRun]:
        """The runs with Decimal exponents (computed on first use: the fast path does not need them)."""
        if not self._dec_runs:
            with decimal.localcontext(_CTX):
                self._dec_runs = [
                    (
                        r.amount,
                        _D.num(r.start),
                        _D.num(r.step),
                        r.count,
                        _D.num(r.frac),
                        r.start,
                        r.step,
                        r.frac,
                    )
                    for r in self.runs
                ]
        return self._dec_runs

    # -- evaluation ----------------------------------------------------------------------------------

    def value_float(self, r: float) -> tuple[float, float]:
        g = 1.0 + r
        if not g > 0.0:
            raise _FloatTrouble
        lg = math.log(g)
        if self._vec is not None:
            neg_times, amounts, weighted = self._vec
            try:
                discounts = list(map(math.exp, map(operator.mul, neg_times, itertools.repeat(lg))))
            except OverflowError:
                raise _FloatTrouble from None
            total = sum(map(operator.mul, amounts, discounts))
            deriv = -sum(map(operator.mul, weighted, discounts)) / g
            if not (math.isfinite(total) and math.isfinite(deriv)):
                raise _FloatTrouble
            return total, deriv
        total = 0.0
        deriv = 0.0
        try:
            for amount, t0, h, n, f in self._flt:
                base = math.exp(-t0 * lg)
                if n == 1:
                    q = qn = one_q = 0.0
                else:
                    q = math.exp(-h * lg)
                    qn = math.exp(-h * n * lg)
                    one_q = 1.0 - q
                value, slope = _run_float(amount, t0, h, n, f, r, g, base, q, qn, one_q)
                total += value
                deriv += slope
        except (OverflowError, ZeroDivisionError):
            raise _FloatTrouble from None
        if not (math.isfinite(total) and math.isfinite(deriv)):
            raise _FloatTrouble
        return total, deriv

    def value_decimal(self, r: Decimal, with_derivative: bool = True) -> tuple[Decimal, Decimal]:
        """The value and derivative in 50-digit Decimal arithmetic (raises decimal.Overflow when absurd).

        ``with_derivative=False`` skips the derivative (returned as 0); the value is computed by exactly
        the same operations either way.
        """
        with decimal.localcontext(_CTX):
            one = Decimal(1)
            g = one + r
            if g <= 0:
                raise decimal.Overflow
            roots: dict[int, Decimal] = {}
            lg: list[Decimal] = []
            powers: dict[int, Decimal] = {}

            def neg_pow(x: Exponent) -> Decimal:
                # g ** -x: integer powers (cached), others through one root of g per denominator.
                if x.denominator == 1:
                    k = x.numerator
                    found = powers.get(k)
                    if found is None:
                        found = powers[k] = g ** (-k)
                    return found
                root = roots.get(x.denominator)
                if root is None:
                    if not lg:
                        lg.append(g.ln())
                    root = (-lg[0] / x.denominator).exp()
                    roots[x.denominator] = root
                return root**x.numerator

            total = Decimal(0)
            deriv = Decimal(0)
            last_t, last_base = 0, one
            for amount, t0, h, n, f, t0x, hx, fx in self._dec:
                if t0x.denominator == 1 and 0 <= t0x - last_t <= 400:
                    # Runs come in time order: step from the previous whole exponent (small, cached powers).
                    base = last_base * neg_pow(t0x - last_t)
                    last_t, last_base = int(t0x), base
                else:
                    base = neg_pow(t0x)
                if n == 1:
                    geo, kgeo = one, Decimal(0)
                else:
                    q = neg_pow(hx)
                    if q == one:
                        geo, kgeo = Decimal(n), Decimal(n * (n - 1) // 2)
                    else:
                        qn = q**n
                        one_q = one - q
                        geo = (one - qn) / one_q
                        if with_derivative:
                            kgeo = (q - n * qn + (n - 1) * qn * q) / (one_q * one_q)
                pv = base * geo
                if not with_derivative:
                    total += amount * (one / (one + f * r)) * pv if fx else amount * pv
                    continue
                dpv = -(t0 * geo + h * kgeo) * base / g
                if fx:
                    s = one / (one + f * r)
                    total += amount * s * pv
                    deriv += amount * (s * dpv - f * s * s * pv)
                else:
                    total += amount * pv
                    deriv += amount * dpv
            return total, deriv

    # -- solving -------------------------------------------------------------------------------------

    def _bracket(self, fn: Callable[[N], tuple[N, N]], ar: _Arith[N]) -> tuple[N, N, N]:
        """(lo, hi, value at lo) with the root in [lo, hi]; lo == hi when it was hit exactly."""
        zero, one = ar.zero, ar.one
        v0, _ = fn(zero)
        if v0 == 0:
            return zero, zero, v0
        if _sign(v0) == self.last_sign:  # the root is above 0
            lo, vlo = zero, v0
            hi = ar.num(Fraction(1, 10))
            for _ in range(40):
                v, _ = fn(hi)
                if v == 0:
                    return hi, hi, v
                if _sign(v) == self.first_sign:
                    return lo, hi, vlo
                lo, vlo = hi, v
                hi = hi * 8
                if hi > _MAX_PERIODIC_RATE:
                    break
            raise NoSolution("the rate that balances these cash flows is above 1e9 per period")
        hi = zero
        lo = ar.num(Fraction(-1, 2))
        for _ in range(400):
            v, _ = fn(lo)
            if v == 0:
                return lo, lo, v
            if _sign(v) == self.last_sign:
                return lo, hi, v
            hi = lo
            lo = -one + (one + lo) / 8
        raise NoSolution("the rate that balances these cash flows is too close to -100 %")

    def _newton(self, fn: Callable[[N], tuple[N, N]], ar: _Arith[N], tol: N, iterations: int) -> N:
        """Bracketed Newton with a bisection safeguard (``rtsafe``): bisect whenever the Newton step would
        leave the bracket or would not at least halve the previous step. Stops when the step is below
        ``tol`` (relative, for rates above 1); at most ``iterations`` evaluations."""
        lo, hi, vlo = self._bracket(fn, ar)
        if lo == hi:
            return lo
        low_sign = _sign(vlo)
        two = ar.num(2)
        dx_old = dx = hi - lo
        r = (lo + hi) / two
        if lo <= 0 <= hi:  # start with Newton's step from 0 when it lands inside the bracket
            v0, d0 = fn(ar.zero)
            if d0 != 0 and lo < -v0 / d0 < hi:
                r = -v0 / d0
        v, d = fn(r)
        for _ in range(iterations):
            if v == 0:
                return r
            if _sign(v) == low_sign:
                lo = r
            else:
                hi = r
            newton_ok = d != 0 and abs(v * two) <= abs(dx_old * d)
            if newton_ok:
                step = v / d
                guess = r - step
                newton_ok = lo < guess < hi
            dx_old = dx
            if newton_ok:
                dx, r = step, guess
            else:
                dx = (hi - lo) / two
                r = lo + dx
            scale = abs(r) if abs(r) > 1 else 1
            if abs(dx) <= tol * scale or hi - lo <= tol * scale:
                return r
            v, d = fn(r)
        return r

    def root(self, multiplier: Exponent = 1, compound: int = 0, fast: bool = True) -> Decimal:
        """The result for the root ``r``, rounded half-even to :data:`PLACES` and certified.

        The result is ``r × multiplier`` (a nominal rate), or with ``compound = n`` the effective rate
        ``(1 + r) ** n - 1`` (``r`` is then a rate per 1/n year). Both are increasing in ``r``, so the
        certificate evaluates the equation at the preimages of the rounding interval's ends.
        ``fast=False`` skips :meth:`_loan_root` (tests compare the two paths).
        """
        found = self._loan_root(multiplier, compound) if fast else None
        if found is not None:
            return found
        try:
            r = self._newton(self.value_float, _F, 1e-15, _FLOAT_ITERATIONS)
            value = (1.0 + r) ** compound - 1.0 if compound else r * float(multiplier)
            if not abs(value) < _MAX_RESULT:
                raise _FloatTrouble
            candidate = Decimal(repr(value)).quantize(
                _QUANTUM, rounding=decimal.ROUND_HALF_EVEN, context=_CTX
            )
            if self._certify(candidate, multiplier, compound):
                return candidate if candidate else candidate.copy_abs()  # never -0
        except (_FloatTrouble, OverflowError):
            pass
        try:
            with decimal.localcontext(_CTX):
                found = self._newton(self.value_decimal, _D, Decimal("1e-45"), _DECIMAL_ITERATIONS)
                exact = (1 + found) ** compound - 1 if compound else found * _D.num(multiplier)
                if abs(exact) >= _MAX_RESULT:
                    raise NoSolution(
                        f"the rate that balances these cash flows is beyond {_MAX_RESULT:.0e}",
                        rate=f"{exact:.3e}",
                    )
                result = exact.quantize(_QUANTUM, rounding=decimal.ROUND_HALF_EVEN)
                if self._preimage(result, multiplier, compound) <= -1:
                    raise decimal.Overflow
        except (decimal.Overflow, decimal.InvalidOperation, decimal.DivisionByZero):
            raise NoSolution("the rate that balances these cash flows is too close to -100 %") from None
        if not self._certify(result, multiplier, compound):
            raise NoSolution(
                f"the rate could not be certified to {PLACES} decimal places in 50-digit arithmetic",
                rate=str(result),
            )
        return result if result else result.copy_abs()

    def _loan_root(self, multiplier: Exponent, compound: int) -> Decimal | None:
        """The certified result by :func:`_solve_steps` when the equation has a loan's shape (one advance
        at time 0, then only repayments at whole exponents ``t ≥ 0`` in runs of consecutive exponents,
        fractions ``f ≥ 0``); None otherwise, or when that solver defers to the general one."""
        runs = self.runs
        flt = self._flt
        first = runs[0]
        if first.amount >= 0 or first.count != 1 or first.start != 0 or flt[0][4] != 0.0 or len(runs) < 2:
            return None
        steps: list[_Step] = []
        for run, (_, _, _, _, f) in zip(runs[1:], flt[1:], strict=True):
            t = run.start
            if run.amount <= 0 or type(t) is not int or t < 0 or not f >= 0.0:
                return None
            if run.count != 1 and run.step != 1:
                return None
            steps.append((run.amount, t, run.count, run.frac if f else 0))
        return _solve_steps(first.amount, steps, multiplier, compound)

    @staticmethod
    def _preimage(result: Decimal, multiplier: Exponent, compound: int) -> Decimal:
        """The root ``r`` whose result is ``result`` (under ``_CTX``)."""
        if compound:
            if result <= -1:
                return Decimal(-1)
            target = 1 + result
            try:  # the compound-th root of target: a float guess, then Newton (16 -> 32 -> 64 digits)
                y = Decimal(repr(float(target) ** (1.0 / compound)))
            except OverflowError:  # pragma: no cover - results beyond 1e308
                return (target.ln() / compound).exp() - 1
            if not y:
                return (target.ln() / compound).exp() - 1
            for _ in range(3):
                p = y ** (compound - 1)
                y -= (p * y - target) / (compound * p)
            return y - 1
        return result / _D.num(multiplier)

    def _certify(self, candidate: Decimal, multiplier: Exponent, compound: int) -> bool:
        """True when the exact root's result lies within half a unit of the last place of ``candidate``."""
        try:
            with decimal.localcontext(_CTX):
                below = self._preimage(candidate - _HALF_ULP, multiplier, compound)
                above = self._preimage(candidate + _HALF_ULP, multiplier, compound)
                if below <= -1:
                    return False
                v_below, _ = self.value_decimal(below, with_derivative=False)
                v_above, _ = self.value_decimal(above, with_derivative=False)
        except (decimal.Overflow, decimal.InvalidOperation, decimal.DivisionByZero):
            return False
        ok_below = v_below == 0 or _sign(v_below) == self.last_sign
        ok_above = v_above == 0 or _sign(v_above) == self.first_sign
        return ok_below and ok_above


_ONE = Decimal(1)
# One run of a loan-shaped equation: (amount > 0, first exponent t ≥ 0, count n ≥ 1, fraction f ≥ 0).
_Step = tuple[Decimal, int, int, Exponent]


def _steps_value(
    advance: Decimal, steps: Sequence[tuple[Decimal, int, int, Decimal | None]], r: Decimal
) -> Decimal:
    """``advance + Σ amount · Σ_{k=t}^{t+n-1} (1 + r) ** -k / (1 + f·r)`` over ``(amount, t, n, f)`` in
    50-digit Decimal arithmetic (``_CTX``), each geometric sum in closed form:
    ``Σ_{k=t}^{t+n-1} g ** -k = (g ** -(t-1) − g ** -(t+n-1)) / r`` with ``g = 1 + r``."""
    ctx = _CTX
    add, sub, mul, div, power = ctx.add, ctx.subtract, ctx.multiply, ctx.divide, ctx.power
    g = add(_ONE, r)
    total = advance
    end = 1  # p_end is g ** (1 - end)
    p_end = _ONE
    for amount, t, n, f in steps:
        if t != end:
            p_end = power(g, 1 - t) if t != 1 else _ONE
        end = t + n
        p_start, p_end = p_end, power(g, 1 - end)
        pv = div(sub(p_start, p_end), r) if r else Decimal(n)
        if f is not None:
            pv = div(pv, add(_ONE, mul(f, r)))
        total = add(total, mul(amount, pv))
    return total


def _steps_float(
    advance: float, steps: Sequence[tuple[float, int, int, float]], r: float
) -> tuple[float, float]:
    """``value(r) = −advance + Σ amount · Σ_{k=t}^{t+n-1} (1 + r) ** −k / (1 + f·r)`` and its derivative
    in float (the proposal only; :func:`_steps_value` certifies)."""
    g = 1.0 + r
    if not g > 0.0:
        raise _FloatTrouble
    lg = math.log1p(r)
    exp = math.exp
    total = -advance
    deriv = 0.0
    try:
        for amount, t, n, f in steps:
            base = exp(-t * lg)
            if n == 1:
                q = qn = one_q = 0.0
            else:
                q = exp(-lg)
                qn = exp(-n * lg)
                one_q = -math.expm1(-lg)
            value, slope = _run_float(amount, t, 1, n, f, r, g, base, q, qn, one_q)
            total += value
            deriv += slope
    except (OverflowError, ZeroDivisionError):
        raise _FloatTrouble from None
    if not (math.isfinite(total) and math.isfinite(deriv)):
        raise _FloatTrouble
    return total, deriv


def _steps_float_at_zero(
    advance: float, fsteps: Sequence[tuple[float, int, int, float]]
) -> tuple[float, float]:
    """``_steps_float(advance, fsteps, 0.0)``, bit for bit, without the exponentials: at r = 0, g = 1,
    every power of g is 1.0 and each geometric sum is ``n`` (its k-weighted sum ``n(n-1)/2``)."""
    total = -advance
    deriv = 0.0
    for amount, t, n, f in fsteps:
        if n == 1:
            geo, kgeo = 1.0, 0.0
        else:
            geo, kgeo = float(n), float(n * (n - 1) // 2)
        dpv = -(t * geo + kgeo)
        if f:
            total += amount * geo
            deriv += amount * (dpv - f * geo)
        else:
            total += amount * geo
            deriv += amount * dpv
    if not (math.isfinite(total) and math.isfinite(deriv)):
        raise _FloatTrouble
    return total, deriv


def _solve_steps(
    advance: Decimal, steps: Sequence[_Step], multiplier: Exponent, compound: int
) -> Decimal | None:
    """The certified result for a loan-shaped equation, or None to use the general solver.

    ``value(r) = advance + Σ amount · Σ_{k=t}^{t+n-1} (1 + r) ** −k / (1 + f·r)`` with ``advance < 0``
    and every amount positive: ``value = S(r) − A`` where ``S`` (the present value of the repayments)
    is positive, strictly decreasing and log-convex on ``r > −1``, so there is exactly one root, and
    Newton's method on ``log S(r) − log A`` (nearly linear for an annuity) converges from either side
    without a bracket. The float root is only a proposal: the rounded result is returned only when the
    50-digit Decimal evaluation at both ends of its rounding interval proves the exact root lies inside
    — the certificate of :meth:`_Equation.root`, so the result is the same correctly rounded number.
    For a nominal result (``compound == 0``) :func:`_certify_steps_float` usually decides that
    certificate in float, accepting only what the Decimal evaluation would accept.
    Anything unusual (no convergence, a root outside ``(−0.5, 1e8)`` per period, a failed certificate)
    returns None and the general bracketed solver runs from scratch.
    """
    # (float(Fraction) runs Python code; the usual fraction is the shared zero or an int zero.)
    fsteps = [
        (float(a), t, n, 0.0 if f is _ZERO or (type(f) is int and not f) else float(f))
        for a, t, n, f in steps
    ]
    A = -float(advance)
    if not 0.0 < A < math.inf or not all(map(math.isfinite, map(_FIRST, fsteps))):
        return None
    log1p = math.log1p
    mult = float(multiplier)
    try:
        r = 0.0
        last_step = 0.0
        v, d = _steps_float_at_zero(A, fsteps)
        for _ in range(_FLOAT_ITERATIONS):
            if v == 0.0:
                break
            pv = A + v
            if not (pv > 0.0 and d < 0.0):
                return None
            # Newton on h(r) = log(S(r) / A): h = log1p(v / A), h' = S'(r) / S(r) = d / pv.
            step = log1p(v / A) * pv / d
            r -= step
            if not -0.5 < r < 1e8:
                return None
            size = abs(step)
            if size <= 1e-9 * (r if r > 1.0 else 1.0):
                break  # the error left is about (h''/h') · step², far below the 1e-10 quantum
            if size < 1e-5 and last_step:
                # Quadratic convergence: the next error is about C · step² with C = step / last_step²
                # measured. Stop early when that is well inside the rounding interval of the result.
                error = size * size * size / (last_step * last_step)
                slope = compound * (1.0 + r) ** (compound - 1) if compound else mult
                value = (1.0 + r) ** compound - 1.0 if compound else r * mult
                scaled = value * 1e10
                margin = abs(scaled - math.floor(scaled) - 0.5) * 1e-10  # to the nearest tie
                if 8.0 * error * abs(slope) < margin:
                    break
            last_step = size
            v, d = _steps_float(A, fsteps, r)
        else:
            return None
        value = (1.0 + r) ** compound - 1.0 if compound else r * mult
    except (_FloatTrouble, OverflowError, ZeroDivisionError, ValueError):
        return None
    if not abs(value) < 1e12:  # leave absurd rates (and their NoSolution) to the general path
        return None
    candidate = _CTX.quantize(Decimal(repr(value)), _QUANTUM)  # _CTX rounds half-even
    if (compound or not _certify_steps_float(A, fsteps, candidate, mult)) and not _certify_steps_decimal(
        advance, steps, fsteps, candidate, multiplier, compound
    ):
        return None
    return candidate if candidate else candidate.copy_abs()  # never -0


def _certify_steps_decimal(
    advance: Decimal,
    steps: Sequence[_Step],
    fsteps: Sequence[tuple[float, int, int, float]],
    candidate: Decimal,
    multiplier: Exponent,
    compound: int,
) -> bool:
    """The 50-digit certificate of :func:`_solve_steps`: True when the exact root's result lies within
    half a unit of the last place of ``candidate`` (value ≥ 0 below the rounding interval, ≤ 0 above)."""
    try:
        if compound:
            with decimal.localcontext(_CTX):
                below = _Equation._preimage(candidate - _HALF_ULP, multiplier, compound)
                above = _Equation._preimage(candidate + _HALF_ULP, multiplier, compound)
        else:
            scale = _D.num(multiplier)
            below = _CTX.divide(_CTX.subtract(candidate, _HALF_ULP), scale)
            above = _CTX.divide(_CTX.add(candidate, _HALF_ULP), scale)
        if below <= -1:
            return False
        # value(below) must be >= 0 and value(above) <= 0 (value falls as r rises).
        dsteps = [
            (a, t, n, _D.num(f) if ff else None)
            for (a, t, n, f), (_, _, _, ff) in zip(steps, fsteps, strict=True)
        ]
        return not (_steps_value(advance, dsteps, below) < 0 or _steps_value(advance, dsteps, above) > 0)
    except (decimal.Overflow, decimal.InvalidOperation, decimal.DivisionByZero):
        return False


# The float certificate's error budget, in units of u = 2 ** -53 (see _certify_steps_float).
_UNIT_ROUNDOFF = 2.0**-53
_FLOAT_CERT_ULPS = 1024.0
_FLOAT_CERT_MAX_EXPONENT = 40.0


def _certify_steps_float(
    advance: float, fsteps: Sequence[tuple[float, int, int, float]], candidate: Decimal, multiplier: float
) -> bool:
    """The certificate of :func:`_certify_steps_decimal` (``compound == 0``) decided in float when the
    float values are clear of zero by more than their rigorous error bound; False means "undecided" (the
    caller then runs the Decimal certificate), never "rejected". True only if the Decimal one is True.

    The argument. ``value(r) = −A + Σ_j a_j · g ** (1 − t_j) · (1 − g ** −n_j) / r / (1 + f_j·r)`` with
    ``g = 1 + r``, every ``a_j > 0``, ``t_j ≥ 0``, ``0 ≤ f_j ≤ 1``, is non-increasing on ``r > −1/2``
    (each term is a positive sum of ``g ** −k``, k ≥ 0, times ``1/(1 + f·r)``). The rounding interval's
    ends are ``lo = (c − 5e−11)/m`` and ``hi = (c + 5e−11)/m``. In float, ``(c ∓ 5e−11)/m`` (c the
    float of the 10-place candidate, m the float multiplier; each correctly rounded, and
    ``|c| ≤ 2·|c ∓ 5e−11|`` on the 1e−10 grid) has relative error below 7u (u = 2 ** −53); moving it
    1e−14 relatively *into* the interval gives float points ``x_lo ≥ lo`` and ``x_hi ≤ hi`` (also beyond
    the 50-digit Decimal ``lo``/``hi`` of the Decimal certificate, which differ from the exact ones by
    1e−50 relatively). So ``value(lo) ≥ value(x_lo)`` and ``value(hi) ≤ value(x_hi)``.
    At a float point x, with |(1 − t)·log1p(x)| and |n·log1p(x)| ≤ 40 (checked): log1p has relative
    error ≤ 2u (libm, a few ulps at most: glibc documents ≤ 1-2 ulp for log1p, exp, expm1), the products
    add u, so exp's argument is off by ≤ 40·3u absolutely and exp(·) by ≤ 120u + 2u relatively; expm1(z)
    has relative condition number ≤ 1 + |z| ≤ 41, so ≤ 123u + 2u; the amount (float of a Decimal), the
    division by x and the factor ``1 + f·x`` (≥ 1/2, its error ≤ (2·|f·x| + 1)u / (1/2) ≤ 42u for
    |x| ≤ 10) add ≤ 46u: each term is within ~300u relatively. Summing m + 1 terms adds ≤ (m + 1)·u times
    the sum of their absolute values S. Hence ``|float value − value| ≤ (300 + m + 1)·u·S``; the bound
    used, ``(1024 + 2m)·u·S`` (S itself computed in float, a few u off), covers that more than three
    times over. The 50-digit Decimal evaluation is within ~1e−45·S of the exact value. So when the float
    value at ``x_lo`` exceeds the bound, the exact and the Decimal values at ``lo`` are > 0, and when the
    float value at ``x_hi`` is below minus the bound, they are < 0: the Decimal certificate holds too.
    """
    if not 0.0 < multiplier < 1e15:
        return False
    c = float(candidate)
    lo = (c - 5e-11) / multiplier
    hi = (c + 5e-11) / multiplier
    lo += abs(lo) * 1e-14
    hi -= abs(hi) * 1e-14
    if not (-0.5 < lo < hi <= 10.0) or lo == 0.0 or hi == 0.0:
        return False
    # value(lo) and value(hi), each geometric sum as (1 + x) ** (1 − t) · (−expm1(−n·log1p(x))) / x: no
    # cancellation, also for x near 0 (the closed form of _steps_value divides a difference by x).
    lg_lo = math.log1p(lo)
    lg_hi = math.log1p(hi)
    exp, expm1 = math.exp, math.expm1
    total_lo = total_hi = -advance
    size_lo = size_hi = advance
    limit = _FLOAT_CERT_MAX_EXPONENT
    lg_max = lg_hi if lg_hi > -lg_lo else -lg_lo  # lg_lo < lg_hi: every |k·lg| is at most |k|·lg_max
    for amount, t, n, f in fsteps:
        if not ((t + 1) * lg_max <= limit and n * lg_max <= limit and 0.0 <= f <= 1.0):
            return False
        term_lo = amount * exp((1 - t) * lg_lo) * -expm1(-n * lg_lo) / lo
        term_hi = amount * exp((1 - t) * lg_hi) * -expm1(-n * lg_hi) / hi
        if f:
            term_lo /= 1.0 + f * lo
            term_hi /= 1.0 + f * hi
        total_lo += term_lo
        total_hi += term_hi
        size_lo += abs(term_lo)
        size_hi += abs(term_hi)
    scale = (_FLOAT_CERT_ULPS + 2.0 * len(fsteps)) * _UNIT_ROUNDOFF
    # value falls as r rises: > 0 below the interval and < 0 above it, both beyond the error bound.
    return total_lo > scale * size_lo and total_hi < -scale * size_hi


def _periodic_runs(values: Sequence[Decimal]) -> list[_Run]:
    """The runs :func:`_runs` makes of ``values[k]`` at time ``k`` (no fraction), built directly: when no
    value is zero, a run is a maximal block of consecutive equal values (``_runs`` drops zeros and may
    then join equal values across the gap, so with a zero it is used instead)."""
    if 0 in values:
        return _runs((k, 0, v) for k, v in enumerate(values))
    out: list[_Run] = []
    t = 0
    for amount, group in itertools.groupby(values):
        count = sum(1 for _ in group)
        out.append(_Run(amount, t, 1, count, 0))
        t += count
    return out


def _solve_periodic(values: Sequence[Decimal], multiplier: Exponent = 1, compound: int = 0) -> Decimal:
    """:func:`_solve` of ``values[k]`` at time ``k``."""
    return _Equation(_periodic_runs(values)).root(multiplier, compound)


def _solve(flows: Iterable[Flow], multiplier: Exponent = 1, compound: int = 0) -> Decimal:
    return _Equation(_runs(flows)).root(multiplier, compound)


# ---------------------------------------------------------------------------------------------------
# Input helpers
# ---------------------------------------------------------------------------------------------------


_DAY = operator.attrgetter("day")
_TUPLE_ONLY = {tuple}
_DATE_ONLY = {date}


def _split_pairs(values: Any) -> tuple[tuple[date, ...], tuple[Decimal, ...]] | None:
    """(dates, amounts) of a list or tuple of ``(date, finite Decimal)`` tuples, checked without a Python
    loop; None for anything else (then :func:`_pairs` validates item by item and names the bad one)."""
    if type(values) is not list and type(values) is not tuple:
        return None
    try:
        if set(map(type, values)) != _TUPLE_ONLY:
            return None
        dates, amounts = zip(*values, strict=True)
    except ValueError:
        return None
    if set(map(type, dates)) != _DATE_ONLY:
        return None
    try:
        if not all(map(Decimal.is_finite, amounts)):  # TypeError when one is not a Decimal
            return None
    except TypeError:
        return None
    return dates, amounts


def _split_distinct(values: Any) -> tuple[list[date], list[Decimal]] | None:
    """(dates, amounts) of a list or tuple of ``(date, finite Decimal)`` tuples with distinct dates, as
    :func:`_split_pairs` but through a dict (one C-level pass that also proves the dates distinct); None
    for anything else, and nothing is consumed or changed (the items are tuples)."""
    if type(values) is not list and type(values) is not tuple:
        return None
    if set(map(type, values)) != _TUPLE_ONLY:
        return None
    try:
        by_date = dict(values)  # ValueError unless every tuple is a pair
    except Exception:  # an unhashable (or oddly hashing) first item: the general path names the problem
        return None
    if len(by_date) != len(values) or set(map(type, by_date)) != _DATE_ONLY:
        return None
    amounts = list(by_date.values())
    try:
        if not all(map(Decimal.is_finite, amounts)):  # TypeError when one is not a Decimal
            return None
    except TypeError:
        return None
    return list(by_date), amounts


def _pairs(values: Any, field: str) -> list[tuple[date, Decimal]]:
    """Validate a sequence of (date, amount) pairs."""
    if _split_pairs(values) is not None:
        return list(values)
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInput(field, values, "must be a sequence of (date, amount) pairs")
    out: list[tuple[date, Decimal]] = []
    for i, item in enumerate(values):
        try:
            when, amount = item
        except (TypeError, ValueError):
            raise InvalidInput(f"{field}[{i}]", item, "must be a (date, amount) pair") from None
        if type(when) is not date:
            when = coerce_date(when, f"{field}[{i}].date")
        if type(amount) is not Decimal or not amount.is_finite():
            amount = to_decimal(amount, f"{field}[{i}].amount")
        out.append((when, amount))
    return out


_PLAIN_NUMBERS = {Decimal, int}


def _amounts(values: Any, field: str) -> list[Decimal]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInput(field, values, "must be a sequence of amounts")
    if type(values) is list or type(values) is tuple:
        kinds = set(map(type, values))
        if kinds <= _PLAIN_NUMBERS:  # Decimal and int (not bool): Decimal(x) is what to_decimal gives
            out = list(map(Decimal, values))
            if all(map(Decimal.is_finite, out)):
                return out
    return [to_decimal(v, f"{field}[{i}]") for i, v in enumerate(values)]


def _whole(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, value, "must be a whole number")
    if not low <= value <= high:
        raise InvalidInput(field, value, f"must be between {low} and {high}")
    return value


def _periods_per_year(value: Any, field: str = "periods_per_year") -> int:
    if isinstance(value, (Frequency, str)):
        return Frequency.parse(value, field).periods_per_year
    return _whole(value, field, 1, 366)


def effective_rate(nominal: Any, periods_per_year: Any = 12) -> Decimal:
    """The effective annual rate of a nominal rate compounded ``periods_per_year`` times.

    ``(1 + nominal / m) ** m - 1``, rounded half-even to :data:`PLACES` decimals.

    >>> effective_rate("0.12"), effective_rate("6%", "quarterly")
    (Decimal('0.1268250301'), Decimal('0.0613635506'))
    """
    rate = to_rate(nominal, "nominal")
    m = _periods_per_year(periods_per_year)
    if rate <= -m:
        raise InvalidInput("nominal", nominal, f"must be above -{m} (-100 % per period)")
    with decimal.localcontext(_CTX):
        value = (1 + rate / m) ** m - 1
        return value.quantize(_QUANTUM)


# ---------------------------------------------------------------------------------------------------
# US: Regulation Z Appendix J, actuarial method
# ---------------------------------------------------------------------------------------------------

_UNIT_KINDS = {"day": (1, 1), "week": (1, 52), "semimonth": (1, 1), "month": (1, 12)}


@dataclass(frozen=True, slots=True)
class UnitPeriod:
    """An Appendix J unit-period: a day, week(s), semimonth or month(s) up to a year (App. J (b)(3)(iii)).

    >>> UnitPeriod.parse("monthly"), UnitPeriod.parse("biweekly").periods_per_year
    (UnitPeriod(kind='month', multiple=1), Fraction(26, 1))
    >>> UnitPeriod("month", 3).label_en, UnitPeriod("month", 3).label_zh
    ('3 months', '3个月')
    """

    kind: str
    multiple: int = 1

    def __post_init__(self) -> None:
        if self.kind not in _UNIT_KINDS:
            raise InvalidInput("unit_period.kind", self.kind, "use day, week, semimonth or month")
        low, high = _UNIT_KINDS[self.kind]
        _whole(self.multiple, "unit_period.multiple", low, high)

    @property
    def periods_per_year(self) -> Fraction:
        """Unit-periods per year: 365 days, 52/w weeks, 24 semimonths, 12/m months (App. J (b)(5)(ii)-(v))."""
        if self.kind == "day":
            return Fraction(365)
        if self.kind == "week":
            return Fraction(52, self.multiple)
        if self.kind == "semimonth":
            return Fraction(24)
        return Fraction(12, self.multiple)

    @property
    def nominal_days(self) -> Fraction:
        """The length used to compare unit-periods: 1, 7w, 365/24 or 365m/12 days."""
        if self.kind == "day":
            return Fraction(1)
        if self.kind == "week":
            return Fraction(7 * self.multiple)
        if self.kind == "semimonth":
            return Fraction(365, 24)
        return Fraction(365 * self.multiple, 12)

    @property
    def label_en(self) -> str:
        if self.kind == "semimonth":
            return "semimonth"
        if self.kind == "month" and self.multiple == 12:
            return "year"
        return f"{self.kind}" if self.multiple == 1 else f"{self.multiple} {self.kind}s"

    @property
    def label_zh(self) -> str:
        if self.kind == "semimonth":
            return "半月"
        if self.kind == "day":
            return "日"
        if self.kind == "week":
            return "周" if self.multiple == 1 else f"{self.multiple}周"
        if self.multiple == 12:
            return "年"
        return "月" if self.multiple == 1 else f"{self.multiple}个月"

    @classmethod
    def parse(cls, value: UnitPeriod | Frequency | str, field: str = "unit_period") -> UnitPeriod:
        """Accept a UnitPeriod, a :class:`~autoloan.dates.Frequency` or a name such as ``"monthly"``."""
        if isinstance(value, UnitPeriod):
            return value
        if isinstance(value, str) and not isinstance(value, Frequency):
            key = value.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
            named = _UNIT_NAMES.get(key)
            if named is not None:
                return cls(*named)
            try:
                value = Frequency.parse(value, field)
            except InvalidInput:
                raise InvalidInput(
                    field, value, "unknown unit-period; use daily, weekly, biweekly, semimonthly, monthly, …"
                ) from None
        if isinstance(value, Frequency):
            if value.months:
                return cls("month", value.months)
            if value.days:
                return cls("week", value.days // 7)
            return cls("semimonth")
        raise InvalidInput(field, value, "must be a UnitPeriod, a Frequency or a name such as 'monthly'")


_UNIT_NAMES = {
    "day": ("day", 1),
    "daily": ("day", 1),
    "week": ("week", 1),
    "weekly": ("week", 1),
    "semimonth": ("semimonth", 1),
    "semimonthly": ("semimonth", 1),
    "month": ("month", 1),
    "year": ("month", 12),
    "yearly": ("month", 12),
}


@dataclass(frozen=True, slots=True)
class AprTiming:
    """Where one payment sits in Appendix J's equation: ``whole`` unit-periods plus ``fraction`` of one."""

    date: date
    amount: Decimal
    whole: int
    fraction: Fraction


@dataclass(frozen=True, slots=True)
class AprResult:
    """An Appendix J APR with the facts that decided it (explanations as data).

    ``irregular`` is the 12 CFR 1026.22(a)(3) class (multiple advances, or irregular payment periods or
    amounts other than an odd first period or an odd first or final payment); ``tolerance`` is the
    matching accuracy tolerance (1/8 or 1/4 percentage point).
    """

    apr: Decimal
    unit_period: UnitPeriod
    unit_periods_per_year: Fraction
    timings: tuple[AprTiming, ...]
    irregular: bool
    tolerance: Decimal
    rule_id: str = "US.REGZ.1026.22.APPJ"
    citation: str = "12 CFR 1026.22(a); 12 CFR 1026 Appendix J (b)(1)-(b)(8)"


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_days(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month]


_ZERO = Fraction(0)


@functools.lru_cache(maxsize=4096)
def _frac(num: int, den: int) -> Fraction:
    """Interned fractions: equal timings share one object, so comparing them is an identity check."""
    return Fraction(num, den) if num else _ZERO


def _month_end(d: date) -> bool:
    return d.day == _month_days(d.year, d.month)


def _back(later: date, months: int, day: int | None) -> date:
    """``later`` moved back ``months`` months on day ``day`` (None: the month's last day), clamped."""
    total = later.year * 12 + later.month - 1 - months
    year, m0 = divmod(total, 12)
    if year < 1:
        return date.min
    last = _month_days(year, m0 + 1)
    return date(year, m0 + 1, last if day is None else min(day, last))


def _full_months(start: date, later: date, day: int | None) -> tuple[int, date]:
    """Full months measured back from ``later`` without passing ``start`` (App. J (b)(3)(iv), (b)(5)(ii)),
    and the date they reach back to."""
    k = (later.year - start.year) * 12 + later.month - start.month
    if k <= 0:
        return 0, later
    back = _back(later, k, day)
    if back < start:  # k months back lands in start's month; k - 1 lands in the next one
        k -= 1
        if k == 0:
            return 0, later
        back = _back(later, k, day)
    return k, back


class _DayRule:
    """App. J (b)(3)(iv): "If a series of payments is scheduled for the last day of each month, months
    shall be measured from the last day … to the last day of another month. If payments are scheduled for
    the 29th or 30th of each month, the last day of February shall be used when applicable." """

    def __init__(self, dates: Sequence[date], nominal: int | None = None) -> None:
        """``nominal``, when given, must be the latest day of month among ``dates``."""
        self.eom = len(dates) > 1 and all(map(_month_end, dates))
        self.nominal: int = max(map(_DAY, dates)) if nominal is None else nominal

    def day(self, d: date) -> int | None:
        if self.eom:
            return None
        if _month_end(d) and d.day < self.nominal:
            return self.nominal
        return d.day


_Label = tuple[str, int]


def _labels(a: date, b: date, rule: _DayRule) -> list[_Label]:
    """Every standard interval the period from ``a`` to ``b`` equals (App. J (b)(3)(iii))."""
    days = (b - a).days
    found: list[_Label] = []
    if days == 1:
        found.append(("day", 1))
    if days % 7 == 0 and 7 <= days <= 364:
        found.append(("week", days // 7))
    if 13 <= days <= 17:
        found.append(("semimonth", 1))
    if 28 <= days <= 31:
        same_day = a.day == b.day and b.month - a.month in (1, -11)
        if same_day or _back(b, 1, rule.day(b)) == a:
            found.append(("month", 1))
    elif 56 <= days <= 366:
        months, back = _full_months(a, b, rule.day(b))
        if 1 <= months <= 12 and back == a:
            found.append(("month", months))
    return found


_STANDARD = (
    [UnitPeriod("day")]
    + [UnitPeriod("week", w) for w in range(1, 53)]
    + [UnitPeriod("semimonth")]
    + [UnitPeriod("month", m) for m in range(1, 13)]
)
_UNITS = {(u.kind, u.multiple): u for u in _STANDARD}


def _choose_unit_period(
    start: date, dates: Sequence[date], rule: _DayRule
) -> tuple[UnitPeriod, list[list[_Label]]]:
    """App. J (b)(4)(i): the most frequent common period; ties -> the smaller; none -> the average.

    Also returns the standard intervals each period (advance -> 1st payment, 1st -> 2nd, …) equals.
    """
    events = [start, *dates]
    counts: dict[_Label, int] = {}
    lengths: list[int] = []
    per_period: list[list[_Label]] = []
    for a, b in itertools.pairwise(events):
        labels = _labels(a, b, rule) if b != a else []
        per_period.append(labels)
        if b == a:
            continue
        lengths.append((b - a).days)
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    common = [_UNITS[label] for label, c in counts.items() if c >= 2]
    if common:
        best = max(counts[(u.kind, u.multiple)] for u in common)
        top = [u for u in common if counts[(u.kind, u.multiple)] == best]
        return min(top, key=lambda u: u.nominal_days), per_period
    # (b)(4)(i)(B): no common period -> the average of all periods rounded to the nearest standard
    # interval; equally near two -> the lower. Months are taken as 365/12 days here (an assumption:
    # Appendix J does not give a day length for this comparison).
    average = Fraction(sum(lengths), len(lengths))
    unit = min(_STANDARD, key=lambda u: (abs(u.nominal_days - average), u.nominal_days))
    return unit, per_period


def _timing(start: date, d: date, unit: UnitPeriod, rule: _DayRule) -> tuple[int, Fraction]:
    """Full unit-periods and the fraction of one from ``start`` to ``d`` (App. J (b)(5)(i)-(v))."""
    days = (d - start).days
    if unit.kind == "day":  # (b)(5)(iv)
        return days, _ZERO
    if unit.kind == "week":  # (b)(5)(iv): days over the days per unit-period
        whole, rest = divmod(days, 7 * unit.multiple)
        return whole, _frac(rest, 7 * unit.multiple)
    months, back = _full_months(start, d, rule.day(d))
    remaining = (back - start).days
    if unit.kind == "month" and unit.multiple == 1:  # (b)(5)(ii): full months back, odd days / 30
        return months, _frac(remaining, 30)
    if unit.kind == "month" and unit.multiple == 12:  # (b)(5)(v): full years back; months/12 or days/365
        years, extra = divmod(months, 12)
        if remaining == 0:
            return years, _frac(extra, 12)
        year_back = _back(d, 12 * years, rule.day(d)) if years else d
        return years, _frac((year_back - start).days, 365)
    # (b)(5)(iii): semimonth and multi-month: 30 × full months + remaining days, over 15 or 30·m.
    unit_days = 15 if unit.kind == "semimonth" else 30 * unit.multiple
    whole, rest = divmod(30 * months + remaining, unit_days)
    return whole, _frac(rest, unit_days)


_Timing = tuple[date, Decimal, int, Fraction]  # (date, amount, whole unit-periods, fraction)


def _irregular(timings: Sequence[_Timing]) -> bool:
    """12 CFR 1026.22(a)(3): irregular payment periods or amounts, other than the first period or the
    first or final payment."""
    if len(timings) <= 2:
        return False
    middle = {t[1] for t in timings[1:-1]}
    if len(middle) > 1:
        return True
    for prev, nxt in itertools.pairwise(timings):
        if (prev[3] is not nxt[3] and prev[3] != nxt[3]) or nxt[2] - prev[2] != 1:
            return True
    return False


_AprWork = tuple[Decimal, UnitPeriod, Fraction, list[_Timing]]
_MONTH_KEY = ("month", 1)
_TWELVE = Fraction(12)  # unit-periods a year when the unit-period is the month
_WEEK4_KEY = ("week", 4)


def _appendix_j(
    amount_financed: Any,
    advance_date: Any,
    payments: Any,
    unit_period: UnitPeriod | Frequency | str | None,
    with_timings: bool = True,
) -> _AprWork:
    """The work of :func:`apr_actuarial_detail`: (APR, unit-period, unit-periods a year, timings).

    A regular monthly series takes :func:`_regular_monthly`; everything else (and anything it is unsure
    of) the general :func:`_appendix_j_general`. Both give the same result (tests/test_rates.py checks
    it on random regular and irregular series). ``with_timings=False`` may leave the timings empty.
    """
    # (The common exact types first: what to_decimal and coerce_date return for them, without the calls.)
    kind = type(amount_financed)
    if kind is int:
        financed = Decimal(amount_financed)
    elif kind is Decimal and amount_financed.is_finite():
        financed = amount_financed
    else:
        financed = to_decimal(amount_financed, "amount_financed")
    if financed <= 0:
        raise InvalidInput("amount_financed", amount_financed, "must be greater than zero")
    start = advance_date if type(advance_date) is date else coerce_date(advance_date, "advance_date")
    fast = _regular_monthly(financed, start, payments, unit_period, with_timings)
    if fast is not None:
        return fast
    return _appendix_j_general(financed, start, payments, unit_period)


def _regular_monthly(
    financed: Decimal,
    start: date,
    payments: Any,
    unit_period: UnitPeriod | Frequency | str | None,
    with_timings: bool = True,
) -> _AprWork | None:
    """Appendix J for the common case, without per-payment work; None when the case does not apply.

    The case: a list or tuple of at least two ``(date, Decimal)`` pairs, every amount positive, the first
    payment after the advance, one payment in each consecutive calendar month on the same day (or on
    the month's last day when the month is shorter, (b)(3)(iv)), and the month as unit-period — given,
    or sure to be the most frequent common period of (b)(4)(i). Then each payment is exactly one month
    after the previous one, so by (b)(5)(ii) payment ``k`` is ``t₀ + k`` full months plus the first
    payment's fraction ``f₀`` after the advance (what :func:`_appendix_j_general` finds payment by
    payment), and runs of equal amounts make the equation's terms geometric series.
    """
    split = _split_distinct(payments)
    if split is None:
        return None
    dates, amounts = split
    n = len(dates)
    first, last = dates[0], dates[-1]
    if n < 2 or not first > start:
        return None
    # Blocks of equal consecutive amounts (usually one, or two with a different last payment).
    if amounts.count(amounts[0]) == n:
        if not amounts[0] > 0:
            return None
        blocks = [(amounts[0], n)]
    else:
        blocks = [(amount, sum(1 for _ in group)) for amount, group in itertools.groupby(amounts)]
        if not all(amount > 0 for amount, _ in blocks):
            return None
    # Consecutive calendar months: strictly increasing dates (so at most one per month) spanning n - 1.
    if (last.year - first.year) * 12 + last.month - first.month != n - 1:
        return None
    if sorted(dates) != dates:  # sorted and distinct: strictly increasing
        return None
    day = first.day
    single_day = operator.countOf(map(_DAY, dates), day) == n
    if single_day and day < 28 and start.day == day:
        # No payment on a month's last day and the advance on the payments' day: (b)(3)(iv)'s day rule
        # is the plain day of the month, and the advance is whole months before each payment.
        rule: _DayRule | None = None
        same_day_advance = True
    else:
        rule = _DayRule(dates, day if single_day else max(map(_DAY, dates)))
        same_day_advance = single_day and start.day == day and not rule.eom
    if rule is not None and not single_day:
        # Day D (the latest day seen) with months shorter than D clamped to their last day, and nothing
        # else; the pairs with a clamped date are checked the way the general path does (they are a
        # whole month apart by (b)(3)(iv)).
        nominal = rule.nominal
        for d in dates:
            if d.day != nominal and not _month_end(d):
                return None
        for a, b in itertools.pairwise(dates):
            if (a.day != nominal or b.day != nominal) and _MONTH_KEY not in _labels(a, b, rule):
                return None
    unit = _UNITS[_MONTH_KEY]
    if unit_period is None:
        # (b)(4)(i): n - 1 payment intervals are months; the only other period a 28-31 day interval can
        # equal is 4 weeks (a 28-day interval, at most one in 12 consecutive months), and the advance's
        # interval adds at most one to each. The month must win outright, else the general path decides.
        if same_day_advance:
            # The advance on the payments' day: its interval is exactly the month iff it is one month
            # long (then 28-31 days), and 4 weeks iff it is 28 days (what _labels finds).
            span = (first.year - start.year) * 12 + first.month - start.month
            month_first, week4_first = span == 1, (first - start).days == 28
        else:
            assert rule is not None  # set whenever same_day_advance is False
            first_labels = _labels(start, first, rule)
            month_first, week4_first = _MONTH_KEY in first_labels, _WEEK4_KEY in first_labels
        months = n - 1 + month_first
        if months < 2 or months <= (n + 10) // 12 + week4_first:
            return None
    else:
        try:
            if UnitPeriod.parse(unit_period) != unit:
                return None
        except InvalidInput:
            return None
    if same_day_advance:
        # The advance on the payments' day: (b)(5)(ii) counts back whole months to it exactly (what
        # _timing finds: k full months, nothing left over).
        whole, frac = (first.year - start.year) * 12 + first.month - start.month, _ZERO
    else:
        assert rule is not None  # set whenever same_day_advance is False
        whole, frac = _timing(start, first, unit, rule)
    # The equation's runs, as _runs would make them of the flows (0, 0, -financed), (t0 + k, f0, amount_k).
    steps: list[_Step] = []
    if len(blocks) == 1:
        steps = [(blocks[0][0], whole, n, frac)]
    else:
        t = whole
        for amount, count in blocks:
            steps.append((amount, t, count, frac))
            t += count
    timings: list[_Timing] = []
    if with_timings:
        timings = [(d, a, whole + i, frac) for i, (d, a) in enumerate(zip(dates, amounts, strict=True))]
    advance = financed.copy_negate()
    # App. J (b)(5)(ii): 12 unit-periods a year. A loan shape, so _solve_steps usually decides; if it
    # defers, the general solver runs on the same equation.
    rate = _solve_steps(advance, steps, 12, 0)
    if rate is None:
        runs = [_Run(advance, 0, 1, 1, 0), *(_Run(a, t, 1, c, f) for a, t, c, f in steps)]
        rate = _Equation(runs).root(12, fast=False)
    return rate, unit, _TWELVE, timings


def _appendix_j_general(
    financed: Decimal, start: date, payments: Any, unit_period: UnitPeriod | Frequency | str | None
) -> _AprWork:
    """Appendix J for any payment series (validated here): (APR, unit-period, per year, timings)."""
    given = _pairs(payments, "payments")
    whens = list(map(_FIRST, given))
    amounts = list(map(_SECOND, given))
    if given and (min(amounts) < 0 or min(whens) < start):  # find and name the first bad one
        for i, (when, amount) in enumerate(given):
            if amount < 0:
                raise InvalidInput(f"payments[{i}].amount", amount, "must not be negative")
            if when < start:
                raise InvalidInput(f"payments[{i}].date", when, f"must not be before advance_date ({start})")
    # A zero payment (a skipped or interest-free period) is no payment: the period runs on.
    if given and min(amounts) > 0 and all(map(operator.le, whens, whens[1:])):
        pays = given  # already what the stable sort by date of the positive payments gives
    else:
        pays = sorted((p for p in given if p[1] > 0), key=lambda p: p[0])
    if not pays:
        raise InvalidInput("payments", payments, "must contain at least one payment greater than zero")
    dates = [p[0] for p in pays]
    rule = _DayRule(dates)

    timings: list[_Timing]
    if len(pays) == 1 and unit_period is None:
        # (b)(4)(ii), (b)(5)(vi)-(vii): single advance, single payment.
        when, amount = pays[0]
        days = (when - start).days
        if days == 0:
            raise InvalidInput("payments[0].date", when, "a single payment on the advance date has no term")
        months, back = _full_months(start, when, when.day)
        if _back(when, 12, when.day) < start:  # the term is less than a year
            unit = _UNITS["month", months] if back == start and months >= 1 else _UNITS["day", 1]
            per_year = Fraction(12, months) if unit.kind == "month" else Fraction(365, days)
            timings = [(when, amount, 1, _ZERO)]
        else:
            unit = _UNITS["month", 12]
            per_year = Fraction(1)
            whole, frac = _timing(start, when, unit, rule)
            timings = [(when, amount, whole, frac)]
    else:
        chosen, per_period = _choose_unit_period(start, dates, rule)
        unit = UnitPeriod.parse(unit_period) if unit_period is not None else chosen
        per_year = unit.periods_per_year
        key = (unit.kind, unit.multiple)
        timings = []
        for i, (when, amount) in enumerate(pays):
            if i and unit.kind != "semimonth" and key in per_period[i]:
                # Exactly one unit-period after the previous payment: one more full unit-period, the
                # same fraction ((b)(5)(ii)-(v) count back from each payment in whole unit-periods).
                prev = timings[-1]
                timings.append((when, amount, prev[2] + 1, prev[3]))
                continue
            whole, frac = _timing(start, when, unit, rule)
            timings.append((when, amount, whole, frac))

    flows: list[Flow] = [(0, 0, financed.copy_negate())]
    flows += [(t[2], t[3], t[1]) for t in timings]
    return _solve(flows, per_year), unit, per_year, timings


def apr_actuarial_detail(
    amount_financed: Any,
    advance_date: Any,
    payments: Any,
    *,
    unit_period: UnitPeriod | Frequency | str | None = None,
) -> AprResult:
    """The Appendix J APR with its unit-period, payment timings and tolerance class.

    ``payments`` are ``(date, amount)`` pairs, each on or after ``advance_date`` (the date the finance
    charge begins to be earned, App. J (b)(2)); zero payments are ignored. Without ``unit_period`` the
    unit-period is chosen by (b)(4): the most frequent common period (a single advance, single payment
    transaction uses its term, at most a year, with (b)(5)(vi)-(vii)). Each payment is placed ``t`` full
    unit-periods plus a fraction ``f`` after the advance by (b)(5), the fraction earning simple interest
    (b)(6), and the general equation (b)(8) ``A = Σ P_k / ((1 + f_k·i)(1 + i) ** t_k)`` is solved for the
    unit-period rate ``i``; the APR is ``i`` times the unit-periods per year (b)(1).

    >>> from datetime import date
    >>> # App. J (c)(1)(ii): $6,000 on 1978-02-10, 36 monthly payments of $200 from 1978-04-01: APR 11.82 %
    >>> pays = [(date(1978 + (k + 3) // 12, (k + 3) % 12 + 1, 1), 200) for k in range(36)]
    >>> r = apr_actuarial_detail(6000, date(1978, 2, 10), pays)
    >>> r.unit_period.label_en, r.timings[0].whole, r.timings[0].fraction, round(r.apr * 100, 2)
    ('month', 1, Fraction(19, 30), Decimal('11.82'))
    """
    rate, unit, per_year, timings = _appendix_j(amount_financed, advance_date, payments, unit_period)
    irregular = _irregular(timings)
    return AprResult(
        apr=rate,
        unit_period=unit,
        unit_periods_per_year=per_year,
        timings=tuple(AprTiming(*t) for t in timings),
        irregular=irregular,
        tolerance=apr_tolerance(irregular=irregular),
    )


def apr_actuarial(
    amount_financed: Any,
    advance_date: Any,
    payments: Any,
    *,
    unit_period: UnitPeriod | Frequency | str | None = None,
) -> Decimal:
    """The annual percentage rate by the actuarial method of 12 CFR 1026 Appendix J, as a fraction.

    See :func:`apr_actuarial_detail` for the rules; this returns only the rate (10 decimals).

    >>> from datetime import date
    >>> # App. J (c)(5)(i): $1,000 on 1978-01-03, $1,080 on 1978-09-15 (255 days): APR 11.45 %
    >>> apr_actuarial(1000, date(1978, 1, 3), [(date(1978, 9, 15), 1080)])
    Decimal('0.1145098039')
    """
    return _appendix_j(amount_financed, advance_date, payments, unit_period, with_timings=False)[0]


def apr(terms: LoanTerms) -> Decimal:
    """The Regulation Z APR of a loan: amount financed (principal less prepaid finance charges), advanced
    on ``terms.start``, repaid by the payments of ``amortize(terms)``.

    >>> from datetime import date
    >>> from autoloan.amortization import Fee, LoanTerms
    >>> t = LoanTerms(principal=10000, annual_rate="0.06", term=36, start=date(2026, 1, 15))
    >>> round(apr(t) * 100, 2)
    Decimal('6.00')
    >>> round(apr(t.replace(fees=(Fee("origination", 300),))) * 100, 2)  # paid at signing, a finance charge
    Decimal('8.06')
    """
    from autoloan.amortization import amortize

    schedule = amortize(terms)
    payments = [(inst.due_date, inst.payment) for inst in schedule]
    return apr_actuarial(terms.amount_financed, terms.start, payments)


def apr_tolerance(*, irregular: bool = False) -> Decimal:
    """The APR accuracy tolerance as a fraction: 1/8 point regular, 1/4 point irregular.

    12 CFR 1026.22(a)(2) and (a)(3).

    >>> apr_tolerance(), apr_tolerance(irregular=True)
    (Decimal('0.00125'), Decimal('0.0025'))
    """
    return _TOLERANCE_IRREGULAR if irregular else _TOLERANCE_REGULAR


def apr_tolerance_ok(disclosed: Any, computed: Any, *, irregular: bool = False) -> bool:
    """Whether a disclosed APR is accurate: within 1/8 percentage point of the computed APR in a regular
    transaction, 1/4 point in an irregular one (12 CFR 1026.22(a)(2)-(3)). Rates are fractions or
    strings with ``%``.

    >>> apr_tolerance_ok("9.75%", "0.0969"), apr_tolerance_ok("9.85%", "0.0969")
    (True, False)
    >>> apr_tolerance_ok("9.85%", "0.0969", irregular=True)
    True
    """
    gap = _CTX.subtract(to_rate(disclosed, "disclosed"), to_rate(computed, "computed")).copy_abs()
    return gap <= apr_tolerance(irregular=irregular)


# ---------------------------------------------------------------------------------------------------
# EU: Directive 2008/48/EC Annex I
# ---------------------------------------------------------------------------------------------------

_EU_BASES = ("calendar", "actual/365", "months")


def _add_years(d: date, years: int) -> date:
    year = d.year + years
    if year < 1:
        return date.min
    return date(year, d.month, min(d.day, _month_days(year, d.month)))


def _eu_years(start: date, d: date, basis: str) -> Fraction:
    """Years from ``start`` to ``d`` under Annex I remark (c)."""
    if d < start:
        return -_eu_years(d, start, basis)
    if basis == "actual/365":
        return Fraction((d - start).days, 365)
    if basis == "months":
        # 12 equal months; the odd days of an equal month (365/12 days) are days / 365 of a year.
        months, back = _full_months(start, d, d.day)
        return Fraction(months, 12) + Fraction((back - start).days, 365)
    # "calendar": whole years counted back from d, then the remaining days over the length (365 or 366)
    # of the year that ends where the whole years begin.
    years = max(0, d.year - start.year)
    while years > 0 and _add_years(d, -years) < start:
        years -= 1
    anchor = _add_years(d, -years)
    year_length = (anchor - _add_years(anchor, -1)).days
    return years + Fraction((anchor - start).days, year_length)


def aprc_eu(advances: Any, repayments: Any, *, basis: str = "calendar") -> Decimal:
    """The EU annual percentage rate of charge X (a fraction, effective annual), Directive 2008/48/EC Annex I.

    Solves ``Σ C_k (1 + X) ** -t_k = Σ D_l (1 + X) ** -s_l`` where ``advances`` are the drawdowns C_k and
    ``repayments`` the repayments and charges D_l, as ``(date, amount)`` pairs, and times are in years
    from the first drawdown. ``basis`` picks remark (c)'s year: ``"calendar"`` (365 days, 366 in leap
    years: whole years counted back from each date, then the odd days over the length of the year they
    fall in), ``"actual/365"``, or ``"months"`` (12 equal months; odd days over 365). Disclose it to at
    least one decimal place, rounding half up (remark (d)).

    >>> from datetime import date
    >>> # Directive 98/7/EC Annex III, first example: 1,000 on 1994-01-01, 1,200 on 1995-07-01: 12.96 %
    >>> x = aprc_eu([(date(1994, 1, 1), 1000)], [(date(1995, 7, 1), 1200)])
    >>> x, round(x * 100, 2)
    (Decimal('0.1296203771'), Decimal('12.96'))
    """
    if basis not in _EU_BASES:
        raise InvalidInput("basis", basis, "use one of " + ", ".join(_EU_BASES))
    draws = _pairs(advances, "advances")
    pays = _pairs(repayments, "repayments")
    if not draws:
        raise InvalidInput("advances", advances, "must contain at least one drawdown")
    if not pays:
        raise InvalidInput("repayments", repayments, "must contain at least one repayment")
    for field, items in (("advances", draws), ("repayments", pays)):
        for i, (_, amount) in enumerate(items):
            if amount < 0:
                raise InvalidInput(f"{field}[{i}].amount", amount, "must not be negative")
    start = min(d for d, _ in draws)
    flows: list[Flow] = [(_eu_years(start, d, basis), 0, a.copy_negate()) for d, a in draws]
    flows += [(_eu_years(start, d, basis), 0, a) for d, a in pays]
    return _solve(flows)


# ---------------------------------------------------------------------------------------------------
# IRR, XIRR and China's annualized rate
# ---------------------------------------------------------------------------------------------------


def irr(cashflows: Any, periods_per_year: Any = 12) -> Decimal:
    """The internal rate of return of evenly spaced cash flows, as a *nominal annual* rate.

    ``cashflows[0]`` is at time 0, ``cashflows[k]`` k periods later; the result is the periodic IRR
    times ``periods_per_year`` (an int or a frequency name). Use ``periods_per_year=1`` for the
    periodic rate itself. The flows must change sign exactly once.

    >>> irr([-100, 39, 59, 55, 20], periods_per_year=1)  # numpy-financial's irr docstring: 0.28095
    Decimal('0.2809484212')
    >>> irr([-100, 0, 0, 74], periods_per_year=1)  # numpy-financial: -0.0955
    Decimal('-0.0954958303')
    """
    values = _amounts(cashflows, "cashflows")
    ppy = _periods_per_year(periods_per_year)
    return _solve_periodic(values, ppy)


def xirr(dated_cashflows: Any) -> Decimal:
    """The effective annual internal rate of return of dated cash flows, time Actual/365 (as Excel XIRR).

    Times are counted from the earliest date. The flows must change sign exactly once.

    >>> from datetime import date
    >>> xirr([(date(2025, 1, 1), -100), (date(2026, 1, 1), 200)])
    Decimal('1.0000000000')
    """
    flows = _pairs(dated_cashflows, "dated_cashflows")
    if not flows:
        raise InvalidInput("dated_cashflows", dated_cashflows, "must contain cash flows")
    start = min(d for d, _ in flows)
    # Solve for the rate per day y, with (1 + X) = (1 + y) ** 365: whole-day exponents keep it fast.
    return _solve((((d - start).days, 0, a) for d, a in flows), compound=365)


def annualized_rate(
    principal: Any,
    payments: Any,
    *,
    term: int | None = None,
    fees: Any = 0,
    frequency: Frequency | str = Frequency.MONTHLY,
    effective: bool = False,
) -> Decimal:
    """China's 年化利率 of an instalment offer by the IRR method (a fraction).

    The borrower receives ``principal`` less upfront ``fees`` (手续费 paid at signing) now and pays
    ``payments`` at the end of each period: a sequence of amounts, or one amount repeated ``term``
    times. The result is the periodic IRR times the periods per year (the nominal APR form), or with
    ``effective=True`` the compound annual rate. PBoC announcement 〔2021〕 No. 3 requires lenders,
    auto-finance companies included, to show such an annualized rate; the IRR method counts cost
    against the principal actually outstanding after each repayment.

    >>> # ¥100,000 over 36 months with a 10 % total fee (月供 3,055.56): about 6.29 %, not 3.33 %
    >>> round(annualized_rate(100000, "3055.56", term=36) * 100, 2)
    Decimal('6.29')
    >>> round(annualized_rate(100000, "3055.56", term=36, effective=True) * 100, 2)
    Decimal('6.48')
    """
    amount = to_decimal(principal, "principal")
    if amount <= 0:
        raise InvalidInput("principal", principal, "must be greater than zero")
    cost = to_decimal(fees, "fees")
    if cost < 0 or cost >= amount:
        raise InvalidInput("fees", fees, f"must be at least 0 and less than the principal ({amount})")
    if isinstance(payments, (int, float, str, Decimal)) and not isinstance(payments, bool):
        if term is None:
            raise InvalidInput("term", term, "is needed when payments is a single amount")
        values = [to_decimal(payments, "payments")] * _whole(term, "term", 1, _MAX_TERM_SEARCH)
    else:
        values = _amounts(payments, "payments")
        if term is not None and term != len(values):
            raise InvalidInput("term", term, f"does not match the {len(values)} payments given")
    if not values:
        raise InvalidInput("payments", payments, "must contain at least one payment")
    for i, v in enumerate(values):
        if v < 0:
            raise InvalidInput(f"payments[{i}]", v, "must not be negative")
    ppy = Frequency.parse(frequency).periods_per_year
    flows = [_CTX.subtract(cost, amount), *values]
    return _solve_periodic(flows, compound=ppy) if effective else _solve_periodic(flows, ppy)


_FLAT_BASES = ("year", "term", "period")


def flat_rate_to_apr(
    flat_rate: Any,
    term: int,
    *,
    per: str = "year",
    frequency: Frequency | str = Frequency.MONTHLY,
    effective: bool = False,
) -> Decimal:
    """The annualized rate (IRR method) of a flat / add-on offer (等本等息, 手续费率).

    A flat offer charges ``flat_rate`` on the *original* principal: per year (``per="year"``, 年费率),
    for the whole term (``"term"``, 总手续费率) or per period (``"period"``, 月费率); principal and
    charge are repaid in ``term`` equal instalments. Because the balance falls while the charge does
    not, the true rate is roughly double the flat rate.

    >>> round(flat_rate_to_apr("10%", 36, per="term") * 100, 2)   # 10 % total over 36 months
    Decimal('6.29')
    >>> round(flat_rate_to_apr("0.35%", 36, per="period") * 100, 2)   # 月费率 0.35 %
    Decimal('7.87')
    >>> round(flat_rate_to_apr("10%", 36) * 100, 2)  # HP 12C handbook: 10 % add-on, 36 months: 17.92 %
    Decimal('17.92')
    """
    rate = to_rate(flat_rate, "flat_rate")
    if rate < 0:
        raise InvalidInput("flat_rate", flat_rate, "must not be negative")
    n = _whole(term, "term", 1, _MAX_TERM_SEARCH)
    if per not in _FLAT_BASES:
        raise InvalidInput("per", per, "use one of " + ", ".join(_FLAT_BASES))
    ppy = Frequency.parse(frequency).periods_per_year
    # Scale-free and exact: lend `units`, repay `payment` each period, both exact Decimals.
    with decimal.localcontext(_CTX):
        if per == "year":  # charge rate × n/ppy years: lend n·ppy, repay ppy + rate·n
            units, payment = Decimal(n * ppy), ppy + rate * n
        elif per == "period":  # charge rate × n: lend n, repay 1 + rate·n
            units, payment = Decimal(n), 1 + rate * n
        else:  # charge rate once: lend n, repay 1 + rate
            units, payment = Decimal(n), 1 + rate
    return annualized_rate(units, [payment] * n, frequency=frequency, effective=effective)


# ---------------------------------------------------------------------------------------------------
# RATE and NPER
# ---------------------------------------------------------------------------------------------------


def solve_rate(
    principal: Any,
    payment: Any,
    term: int,
    *,
    frequency: Frequency | str = Frequency.MONTHLY,
    balloon: Any = 0,
) -> Decimal:
    """The nominal annual rate at which ``term`` level payments (plus an optional ``balloon`` with the
    last one) repay ``principal``: Excel ``RATE`` times the periods per year.

    >>> round(solve_rate(8000, 200, 48) * 100, 2)          # Excel RATE(48, -200, 8000) = 0.77 % a month
    Decimal('9.24')
    >>> round(solve_rate(3500, 0, 10, frequency="annual", balloon=10000), 4)  # numpy-financial rate: 0.1107
    Decimal('0.1107')
    """
    amount = to_decimal(principal, "principal")
    if amount <= 0:
        raise InvalidInput("principal", principal, "must be greater than zero")
    pmt = to_decimal(payment, "payment")
    if pmt < 0:
        raise InvalidInput("payment", payment, "must not be negative")
    last = to_decimal(balloon, "balloon")
    if last < 0:
        raise InvalidInput("balloon", balloon, "must not be negative")
    n = _whole(term, "term", 1, _MAX_TERM_SEARCH)
    ppy = Frequency.parse(frequency).periods_per_year
    flows = [amount.copy_negate(), *([pmt] * (n - 1)), _CTX.add(pmt, last)]
    return _solve_periodic(flows, ppy)


def solve_term(
    principal: Any,
    annual_rate: Any,
    payment: Any,
    *,
    frequency: Frequency | str = Frequency.MONTHLY,
    currency: str = "USD",
    rounding: Rounding | str = Rounding.HALF_UP,
) -> int:
    """The number of payments (NPER) needed to repay ``principal``: all equal to ``payment`` except the
    last, which is smaller (or equal), as Excel's NPER rounded up. Note that a level payment rounded
    *down* to the cent leaves a cent residue that this counts as one more (tiny) payment, where
    :func:`autoloan.amortize` folds it into the last installment: ``solve_term`` of
    ``level_payment(P, r, n)`` is ``n`` or ``n + 1``.

    Counted the way a schedule runs: each period's interest is ``balance × annual_rate / periods per
    year`` rounded once to the currency's minor unit, then the payment is applied.

    >>> solve_term(8000, "0.07", 150)   # numpy-financial nper(0.07/12, -150, 8000) = 64.07 -> 65 payments
    65
    >>> solve_term(1000, 0, 300)        # interest-free: 300, 300, 300, 100
    4
    """
    cur = _currency(currency, "currency")
    balance = to_minor(principal, cur, "principal")
    if balance <= 0:
        raise InvalidInput("principal", principal, "must be greater than zero")
    rate = to_rate(annual_rate, "annual_rate")
    if rate < 0:
        raise InvalidInput("annual_rate", annual_rate, "must not be negative")
    pmt = to_minor(payment, cur, "payment")
    if pmt <= 0:
        raise InvalidInput("payment", payment, "must be greater than zero")
    mode = Rounding.parse(rounding)
    ppy = Frequency.parse(frequency).periods_per_year
    num, den = rate.as_integer_ratio()
    den *= ppy
    first_interest = round_fraction(balance * num, den, mode)
    if pmt <= first_interest:
        raise NoSolution(
            "the payment does not exceed the first period's interest, so the balance never falls",
            payment=str(payment),
            interest=str(cur.exponent * first_interest),
        )
    for count in range(1, _MAX_TERM_SEARCH + 1):
        due = balance + round_fraction(balance * num, den, mode)
        if due <= pmt:
            return count
        balance = due - pmt
    raise NoSolution(f"more than {_MAX_TERM_SEARCH} payments would be needed", payment=str(payment))
