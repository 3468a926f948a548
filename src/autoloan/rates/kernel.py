"""The rates kernel: one cash-flow equation, its bracketed solver, and the certificates of its results.

Every rate of :mod:`autoloan.rates` is the root of ``value(r) = Σ amount_k / ((1 + f_k·r)(1 + r) ** t_k)``.
The solver brackets the root and runs Newton's method with a bisection safeguard, in a bounded number of
steps. The float iteration only *proposes* the answer: the result is rounded to :data:`PLACES` decimal
places and then *certified* — the equation evaluated on both sides of the rounding interval proves the
exact root lies inside (in float with a rigorous error bound when the values are clear of zero, in
50-digit Decimal otherwise). If the certificate fails, the root is recomputed entirely in Decimal.
A loan's shape (one advance, then repayments in runs of consecutive periods) has exactly one root and is
first proposed by a bracket-free Newton iteration (:func:`solve_steps`).

The functions here are public so that tests and advanced users can reach the engine through a named
module; the calculators in the sibling modules validate their inputs first and call them directly.

>>> from decimal import Decimal
>>> solve([(0, 0, Decimal(-100)), (1, 0, Decimal(110))])  # 10 % a period
Decimal('0.1000000000')
>>> solve_steps(Decimal(-1000), [(Decimal("88.85"), 1, 12, 0)], 12, 0)  # 12 × 88.85 repays 1,000
Decimal('0.1200258934')
"""

from __future__ import annotations

import decimal
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Generic, TypeVar

from autoloan.errors import NoSolution
from autoloan.rates._guard import typed_errors

__all__ = [
    "CONTEXT",
    "PLACES",
    "Equation",
    "Run",
    "certify_steps_decimal",
    "certify_steps_float",
    "decimal_exponent",
    "periodic_runs",
    "runs",
    "solve",
    "solve_periodic",
    "solve_singles",
    "solve_steps",
    "steps_float",
    "steps_float_at_zero",
    "steps_value",
]

#: Decimal places of every rate returned (as a fraction: 10 places = 1e-8 percentage points).
PLACES = 10
QUANTUM = Decimal("1E-10")  # 10 ** -PLACES
HALF_ULP = Decimal("5E-11")
#: The explicit context of the exact evaluation (never the global one).
CONTEXT = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_FLOAT_ITERATIONS = 200
_DECIMAL_ITERATIONS = 400
_MAX_PERIODIC_RATE = 1e9  # above this the "rate" is meaningless; NoSolution instead of a search forever
_MAX_RESULT = 1e30  # a rate (as a fraction) beyond this is refused: it would not fit the 50-digit context
#: The shared zero fraction: a payment exactly on a unit-period boundary (compared by identity).
ZERO_FRACTION = Fraction(0)

# ---------------------------------------------------------------------------------------------------
# The cash-flow equation and its solver
# ---------------------------------------------------------------------------------------------------

N = TypeVar("N", float, Decimal)
Exponent = int | Fraction
Flow = tuple[Exponent, Exponent, Decimal]


@dataclass(slots=True)  # never mutated; not frozen only because a frozen one costs ~1 µs to construct
class Run:
    """``count`` equal flows at exponents ``start, start + step, …`` with simple-interest fraction ``frac``.

    Flow ``k`` is discounted by ``1 / ((1 + frac·r) · (1 + r) ** (start + k·step))`` — Appendix J's general
    equation when ``start`` is a whole number of unit-periods, a compound discount in years otherwise.
    ``amount`` is positive for money paid to the lender, negative for money advanced.

    >>> Run(Decimal(60), 1, 1, 2, 0).count
    2
    """

    amount: Decimal
    start: Exponent
    step: Exponent
    count: int
    frac: Exponent


_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)
_FIRST_TWO = operator.itemgetter(0, 1)


@typed_errors
def runs(flows: Iterable[Flow]) -> list[Run]:
    """Merge (exponent, fraction, amount) flows at equal times and compress equal, evenly spaced ones.

    >>> flows = [(0, 0, Decimal(-100)), (1, 0, Decimal(60)), (2, 0, Decimal(60))]
    >>> runs(flows)  # doctest: +NORMALIZE_WHITESPACE
    [Run(amount=Decimal('-100'), start=0, step=1, count=1, frac=0),
     Run(amount=Decimal('60'), start=1, step=1, count=2, frac=0)]
    """
    items = list(flows)
    keys = list(map(_FIRST_TWO, items))
    ordered = all(map(operator.lt, keys, keys[1:]))
    if not ordered:
        merged: dict[tuple[Exponent, Exponent], Decimal] = {}
        for t, f, amount in items:
            merged[(t, f)] = CONTEXT.add(merged.get((t, f), Decimal(0)), amount)
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
    return [Run(*run) for run in acc]


def _sign(x: float | Decimal) -> int:
    return (x > 0) - (x < 0)


def _geometric(n: int, q: float, qn: float, one_q: float) -> tuple[float, float]:
    """``(Σ_{k<n} q**k, Σ_{k<n} k·q**k)`` for ``n > 1`` given ``qn = q**n`` and ``one_q = 1 − q``: closed
    forms, exact at ``q == 1``, summed term by term when ``q`` is within 1e-6 of 1 (where the closed
    form cancels).

    >>> _geometric(3, 0.5, 0.125, 0.5)
    (1.75, 1.0)
    """
    if q == 1.0:  # r == 0: the sums in closed form (exact in float)
        return float(n), float(n * (n - 1) // 2)
    if abs(1.0 - q) < 1e-6:
        geo = kgeo = 0.0
        qk = 1.0
        for k in range(n):
            geo += qk
            kgeo += k * qk
            qk *= q
        return geo, kgeo
    return (1.0 - qn) / one_q, (q - n * qn + (n - 1) * qn * q) / (one_q * one_q)


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
    geo, kgeo = (1.0, 0.0) if n == 1 else _geometric(n, q, qn, one_q)
    pv = base * geo
    dpv = -(t * geo + h * kgeo) * base / g
    if f:
        s = 1.0 / (1.0 + f * r)
        return amount * s * pv, amount * (s * dpv - f * s * s * pv)
    return amount * pv, amount * dpv


class _FloatTrouble(ArithmeticError):
    """The float iteration overflowed or lost its way; the Decimal path takes over."""


class _Arith(Generic[N]):
    """The constants and conversion the solver needs, for float or for Decimal (under ``CONTEXT``)."""

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
        return CONTEXT.divide(Decimal(x.numerator), Decimal(x.denominator))


_F = _FloatArith()
_D = _DecimalArith()


@typed_errors
def decimal_exponent(x: Exponent) -> Decimal:
    """An exponent (int or Fraction) as a Decimal in :data:`CONTEXT` (a Fraction rounded to 50 digits).

    >>> decimal_exponent(Fraction(1, 3))
    Decimal('0.33333333333333333333333333333333333333333333333333')
    """
    return _D.num(x)


# A run with Decimal exponents: (amount, start, step, count, fraction, and start, step, fraction exact).
_DecRun = tuple[Decimal, Decimal, Decimal, int, Decimal, Exponent, Exponent, Exponent]


class Equation:
    """``value(r) = Σ amount_k / ((1 + f_k·r)(1 + r) ** t_k)`` and its derivative.

    >>> Equation(runs([(0, 0, Decimal(-100)), (1, 0, Decimal(110))])).root()
    Decimal('0.1000000000')
    """

    __slots__ = ("_dec_runs", "_flt", "_vec", "first_sign", "last_sign", "runs")

    @typed_errors
    def __init__(self, runs: list[Run]) -> None:
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
            with decimal.localcontext(CONTEXT):
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
        with decimal.localcontext(CONTEXT):
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
        ``fast=False`` skips :meth:`loan_root` (tests compare the two paths).
        """
        found = self.loan_root(multiplier, compound) if fast else None
        if found is not None:
            return found
        try:
            r = self._newton(self.value_float, _F, 1e-15, _FLOAT_ITERATIONS)
            value = (1.0 + r) ** compound - 1.0 if compound else r * float(multiplier)
            if not abs(value) < _MAX_RESULT:
                raise _FloatTrouble
            candidate = Decimal(repr(value)).quantize(
                QUANTUM, rounding=decimal.ROUND_HALF_EVEN, context=CONTEXT
            )
            if self._certify(candidate, multiplier, compound):
                return candidate if candidate else candidate.copy_abs()  # never -0
        except (_FloatTrouble, OverflowError):
            pass
        try:
            with decimal.localcontext(CONTEXT):
                found = self._newton(self.value_decimal, _D, Decimal("1e-45"), _DECIMAL_ITERATIONS)
                exact = (1 + found) ** compound - 1 if compound else found * _D.num(multiplier)
                if abs(exact) >= _MAX_RESULT:
                    raise NoSolution(
                        f"the rate that balances these cash flows is beyond {_MAX_RESULT:.0e}",
                        rate=f"{exact:.3e}",
                    )
                result = exact.quantize(QUANTUM, rounding=decimal.ROUND_HALF_EVEN)
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

    def loan_root(self, multiplier: Exponent, compound: int) -> Decimal | None:
        """The certified result by :func:`solve_steps` when the equation has a loan's shape (one advance
        at time 0, then only repayments at whole exponents ``t ≥ 0`` in runs of consecutive exponents,
        fractions ``f ≥ 0``); None otherwise, or when that solver defers to the general one."""
        runs = self.runs
        flt = self._flt
        first = runs[0]
        if first.amount >= 0 or first.count != 1 or first.start != 0 or flt[0][4] != 0.0 or len(runs) < 2:
            return None
        steps: list[Step] = []
        for run, (_, _, _, _, f) in zip(runs[1:], flt[1:], strict=True):
            t = run.start
            if run.amount <= 0 or type(t) is not int or t < 0 or not f >= 0.0:
                return None
            if run.count != 1 and run.step != 1:
                return None
            steps.append((run.amount, t, run.count, run.frac if f else 0))
        return solve_steps(first.amount, steps, multiplier, compound)

    @staticmethod
    def _preimage(result: Decimal, multiplier: Exponent, compound: int) -> Decimal:
        """The root ``r`` whose result is ``result`` (under ``CONTEXT``)."""
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
            with decimal.localcontext(CONTEXT):
                below = self._preimage(candidate - HALF_ULP, multiplier, compound)
                above = self._preimage(candidate + HALF_ULP, multiplier, compound)
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
Step = tuple[Decimal, int, int, Exponent]


@typed_errors
def steps_value(
    advance: Decimal, steps: Sequence[tuple[Decimal, int, int, Decimal | None]], r: Decimal
) -> Decimal:
    """``advance + Σ amount · Σ_{k=t}^{t+n-1} (1 + r) ** -k / (1 + f·r)`` over ``(amount, t, n, f)`` in
    50-digit Decimal arithmetic (``CONTEXT``), each geometric sum in closed form:
    ``Σ_{k=t}^{t+n-1} g ** -k = (g ** -(t-1) − g ** -(t+n-1)) / r`` with ``g = 1 + r``.

    >>> steps_value(Decimal(-1000), [(Decimal("88.85"), 1, 12, None)], Decimal(0))  # 12 × 88.85 − 1,000
    Decimal('66.20')
    """
    ctx = CONTEXT
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


def steps_float(
    advance: float, steps: Sequence[tuple[float, int, int, float]], r: float
) -> tuple[float, float]:
    """``value(r) = −advance + Σ amount · Σ_{k=t}^{t+n-1} (1 + r) ** −k / (1 + f·r)`` and its derivative
    in float (the proposal only; :func:`steps_value` certifies). Each run is :func:`_run_float` with
    step 1, written out (the same float operations in the same order): solve_steps' Newton loop calls
    this once per iteration.

    >>> value, slope = steps_float(1000.0, [(88.85, 1, 12, 0.0)], 0.0)
    >>> round(value, 6), round(slope, 6)
    (66.2, -6930.3)
    """
    g = 1.0 + r
    if not g > 0.0:
        raise _FloatTrouble
    lg = math.log1p(r)
    exp = math.exp
    total = -advance
    deriv = 0.0
    try:
        q = exp(-lg)  # the same for every run (step 1)
        one_q = -math.expm1(-lg)
        for amount, t, n, f in steps:
            base = exp(-t * lg)
            geo, kgeo = (1.0, 0.0) if n == 1 else _geometric(n, q, exp(-n * lg), one_q)
            pv = base * geo
            dpv = -(t * geo + kgeo) * base / g  # (_run_float's h·kgeo with h = 1: exactly kgeo)
            if f:
                s = 1.0 / (1.0 + f * r)
                total += amount * s * pv
                deriv += amount * (s * dpv - f * s * s * pv)
            else:
                total += amount * pv
                deriv += amount * dpv
    except (OverflowError, ZeroDivisionError):
        raise _FloatTrouble from None
    if not (math.isfinite(total) and math.isfinite(deriv)):
        raise _FloatTrouble
    return total, deriv


def steps_float_at_zero(
    advance: float, fsteps: Sequence[tuple[float, int, int, float]]
) -> tuple[float, float]:
    """``steps_float(advance, fsteps, 0.0)``, bit for bit, without the exponentials: at r = 0, g = 1,
    every power of g is 1.0 and each geometric sum is ``n`` (its k-weighted sum ``n(n-1)/2``).

    >>> steps_float_at_zero(1000.0, [(88.85, 1, 12, 0.0)]) == steps_float(1000.0, [(88.85, 1, 12, 0.0)], 0.0)
    True
    """
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


@typed_errors
def solve_steps(
    advance: Decimal, steps: Sequence[Step], multiplier: Exponent, compound: int
) -> Decimal | None:
    """The certified result for a loan-shaped equation, or None to use the general solver.

    ``value(r) = advance + Σ amount · Σ_{k=t}^{t+n-1} (1 + r) ** −k / (1 + f·r)`` with ``advance < 0``
    and every amount positive: ``value = S(r) − A`` where ``S`` (the present value of the repayments)
    is positive, strictly decreasing and log-convex on ``r > −1``, so there is exactly one root, and
    Newton's method on ``log S(r) − log A`` (nearly linear for an annuity) converges from either side
    without a bracket. The float root is only a proposal: the rounded result is returned only when the
    50-digit Decimal evaluation at both ends of its rounding interval proves the exact root lies inside
    — the certificate of :meth:`Equation.root`, so the result is the same correctly rounded number.
    For a nominal result (``compound == 0``) :func:`certify_steps_float` usually decides that
    certificate in float, accepting only what the Decimal evaluation would accept.
    Anything unusual (no convergence, a root outside ``(−0.5, 1e8)`` per period, a failed certificate)
    returns None and the general bracketed solver runs from scratch.

    >>> solve_steps(Decimal(-1000), [(Decimal("88.85"), 1, 12, 0)], 12, 0)  # 12 × 88.85 repays 1,000
    Decimal('0.1200258934')
    """
    # float(Fraction) runs numbers.Rational.__float__, int(numerator) / int(denominator): the same
    # correctly rounded quotient is taken here directly (the usual fraction is the shared zero).
    # A Decimal's float is a string conversion: runs of one payment object (level payments) convert once.
    fsteps: list[tuple[float, int, int, float]] = []
    last: Any = _NOTHING
    fa = 0.0
    for a, t, n, f in steps:
        if a is not last:
            last, fa = a, float(a)
        if f is ZERO_FRACTION:
            fsteps.append((fa, t, n, 0.0))
        else:
            fsteps.append((fa, t, n, f.numerator / f.denominator if type(f) is Fraction else float(f)))
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
    candidate = CONTEXT.quantize(Decimal(repr(value)), QUANTUM)  # CONTEXT rounds half-even
    if (compound or not _certify_steps_float(A, fsteps, candidate, mult)) and not certify_steps_decimal(
        advance, steps, fsteps, candidate, multiplier, compound
    ):
        return None
    return candidate if candidate else candidate.copy_abs()  # never -0


@typed_errors
def certify_steps_decimal(
    advance: Decimal,
    steps: Sequence[Step],
    fsteps: Sequence[tuple[float, int, int, float]],
    candidate: Decimal,
    multiplier: Exponent,
    compound: int,
) -> bool:
    """The 50-digit certificate of :func:`solve_steps`: True when the exact root's result lies within
    half a unit of the last place of ``candidate`` (value ≥ 0 below the rounding interval, ≤ 0 above).

    >>> steps, fsteps = [(Decimal("88.85"), 1, 12, Fraction(0))], [(88.85, 1, 12, 0.0)]
    >>> ends = ("0.1200258934", "0.1200258933")
    >>> [certify_steps_decimal(Decimal(-1000), steps, fsteps, Decimal(c), 12, 0) for c in ends]
    [True, False]
    """
    try:
        if compound:
            with decimal.localcontext(CONTEXT):
                below = Equation._preimage(candidate - HALF_ULP, multiplier, compound)
                above = Equation._preimage(candidate + HALF_ULP, multiplier, compound)
        else:
            scale = _D.num(multiplier)
            below = CONTEXT.divide(CONTEXT.subtract(candidate, HALF_ULP), scale)
            above = CONTEXT.divide(CONTEXT.add(candidate, HALF_ULP), scale)
        if below <= -1:
            return False
        # value(below) must be >= 0 and value(above) <= 0 (value falls as r rises).
        dsteps = [
            (a, t, n, _D.num(f) if ff else None)
            for (a, t, n, f), (_, _, _, ff) in zip(steps, fsteps, strict=True)
        ]
        return not (steps_value(advance, dsteps, below) < 0 or steps_value(advance, dsteps, above) > 0)
    except (decimal.Overflow, decimal.InvalidOperation, decimal.DivisionByZero):
        return False


# The float certificate's error budget, in units of u = 2 ** -53 (see certify_steps_float).
_UNIT_ROUNDOFF = 2.0**-53
_NOTHING = object()  # a marker no argument is
_FLOAT_CERT_ULPS = 1024.0
_FLOAT_CERT_MAX_EXPONENT = 40.0


def certify_steps_float(
    advance: float, fsteps: Sequence[tuple[float, int, int, float]], candidate: Decimal, multiplier: float
) -> bool:
    """The certificate of :func:`certify_steps_decimal` (``compound == 0``) decided in float when the
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

    >>> ends = ("0.1200258934", "0.1200258933")
    >>> [certify_steps_float(1000.0, [(88.85, 1, 12, 0.0)], Decimal(c), 12.0) for c in ends]
    [True, False]
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
    # cancellation, also for x near 0 (the closed form of steps_value divides a difference by x).
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


def _floats(amounts: Sequence[Decimal]) -> list[float]:
    """``list(map(float, amounts))``; a Decimal's float costs a string conversion (~0.3 µs), so repeated
    amounts (level payments) are converted once."""
    distinct = set(amounts)
    if 4 * len(distinct) > len(amounts):
        return list(map(float, amounts))
    conv = {a: float(a) for a in distinct}
    return list(map(conv.__getitem__, amounts))


@typed_errors
def solve_singles(
    advance: Decimal, times: Sequence[int], amounts: Sequence[Decimal], compound: int
) -> Decimal | None:
    """The certified effective rate ``(1 + r) ** compound − 1`` for one advance at time 0 followed by single
    repayments at strictly increasing whole times ``t_k > 0`` (``r`` per 1/compound year), or None to use
    the general solver — XIRR's shape, solved flow by flow with C-level maps.

    ``value(r) = advance + Σ amounts_k · (1 + r) ** −t_k`` with ``advance < 0`` and every amount positive
    has exactly one root (see :func:`solve_steps`); Newton's method on ``log S(r) − log A`` proposes it,
    :func:`_certify_tangent` usually certifies the 10-place result in float with a proven error bound
    (from the last Newton evaluation, or one more at the result), and :func:`certify_steps_decimal`
    (50 digits) decides otherwise. The result is the correctly rounded number the general solver
    certifies.

    >>> solve_singles(Decimal(-100), [365], [Decimal(110)], 365)
    Decimal('0.1000000000')
    """
    A = -float(advance)
    fa = _floats(amounts)
    if not compound > 0 or not 0.0 < A < math.inf or not fa or not all(map(math.isfinite, fa)):
        return None
    ft = list(map(float, times))
    neg = [-x for x in ft]
    exp, log1p, mul, repeat = math.exp, math.log1p, operator.mul, itertools.repeat
    try:
        r = 0.0
        lam = 0.0  # log1p(r) at the last evaluation, with its terms a_k·(1 + r) ** −t_k and Σ t_k·terms
        terms = fa
        pv = sum(fa)
        dd = sum(map(mul, ft, fa))
        d = -dd
        last_step = 0.0
        for _ in range(_FLOAT_ITERATIONS):
            v = pv - A
            if v == 0.0:
                break
            if not (pv > 0.0 and d < 0.0):
                return None
            step = log1p(v / A) * pv / d  # Newton on h(r) = log(S(r) / A), h' = S'(r) / S(r)
            r -= step
            if not -0.5 < r < 1e8:
                return None
            size = abs(step)
            if size <= 1e-9 * (r if r > 1.0 else 1.0):
                break
            if size < 1e-5 and last_step:
                # Quadratic convergence: stop when the next error (≈ C · step², C measured) is well inside
                # the rounding interval of the result (as in solve_steps).
                error = size * size * size / (last_step * last_step)
                slope = compound * (1.0 + r) ** (compound - 1)
                value = (1.0 + r) ** compound - 1.0
                scaled = value * 1e10
                margin = abs(scaled - math.floor(scaled) - 0.5) * 1e-10
                if 8.0 * error * abs(slope) < margin:
                    break
            last_step = size
            lam = log1p(r)
            terms = list(map(mul, fa, map(exp, map(mul, neg, repeat(lam)))))
            pv = sum(terms)
            dd = sum(map(mul, ft, terms))
            d = -dd / (1.0 + r)
            if not (math.isfinite(pv) and math.isfinite(d)):
                return None
        else:
            return None
        value = (1.0 + r) ** compound - 1.0
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if not abs(value) < 1e12:
        return None
    candidate = CONTEXT.quantize(Decimal(repr(value)), QUANTUM)
    if not _certify_tangent(A, ft, lam, terms, dd, candidate, compound):
        try:
            c = float(candidate)
            lam = log1p(c) / compound if c > -1.0 else 0.0
            terms = list(map(mul, fa, map(exp, map(mul, neg, repeat(lam)))))
        except (OverflowError, ValueError):  # pragma: no cover - |value| < 1e12 keeps these finite
            return None
        if not _certify_tangent(A, ft, lam, terms, sum(map(mul, ft, terms)), candidate, compound):
            steps: list[Step] = [(a, x, 1, ZERO_FRACTION) for a, x in zip(amounts, times, strict=True)]
            fsteps = [(a, x, 1, 0.0) for a, x in zip(fa, times, strict=True)]
            if not certify_steps_decimal(advance, steps, fsteps, candidate, 1, compound):
                return None
    return candidate if candidate else candidate.copy_abs()  # never -0


def _certify_tangent(
    advance: float,
    times: list[float],
    lam: float,
    terms: list[float],
    dd: float,
    candidate: Decimal,
    compound: int,
) -> bool:
    """The certificate of :func:`solve_singles` decided in float from one evaluation; False means
    "undecided" (the caller evaluates again or runs the Decimal certificate), never "rejected".

    The argument. In ``λ = log(1 + x) / compound`` (x the effective rate) the equation is
    ``W(λ) = −A + Σ a_k · exp(−t_k·λ)`` with every ``a_k > 0``, ``t_k > 0``: decreasing and convex, and
    ``W''`` is decreasing too. The result ``c`` is certified when ``W > 0`` at ``λ_lo`` (the image of
    ``c − 5e−11``) and ``W < 0`` at ``λ_hi`` (of ``c + 5e−11``). Given ``W``, ``D = −W'`` and
    ``E = W''`` at one float point ``λ*`` (``terms[k]`` = the float of ``a_k·exp(−t_k·λ*)``, ``dd`` the
    float sum of ``t_k·terms[k]``):

    * convexity puts ``W`` above its tangent: ``W(λ_lo) ≥ W(λ*) + D·(λ* − λ_lo)``;
    * Taylor with ``W''`` decreasing: ``W(λ_hi) ≤ W(λ*) − D·(λ_hi − λ*) + ½·E_max·(λ_hi − λ*)²``, where
      ``E_max = E(λ*)`` when ``λ_hi ≥ λ*`` and ``≤ E(λ*)·exp(t_max·|λ_hi − λ*|)`` otherwise.

    The float ends: ``c ∓ 5e−11`` in float is within 4u relatively of the exact end (u = 2 ** −53;
    ``|c| ≤ 2·|c ∓ 5e−11|`` on the 1e−10 grid), log1p moves that by at most ``4u·|x|/(1 + x)`` and
    adds 2u relatively, the division 1u: the radius ``δ = 8u·(|x|/(1 + x)/compound + |λ|)`` covers
    the exact end (and the Decimal certificate's 50-digit preimage, within 1e−48 relatively). Float
    error: with ``t_max·|λ*| ≤ 40`` (checked) each discount factor is within 43u relatively, each term
    ``a_k·disc_k`` within 45u, ``t·term`` and ``t²·term`` within 47u and 49u; sums of m positive terms
    add ≤ m·u. So W, D and E are within ``(49 + m + 1)·u`` times their sizes (``A + Σ terms``, D, E),
    and the bound used, ``K = (1024 + 2m)·u`` on every part, doubled for the final operations, covers
    that many times over. When the bounds clear it, the exact (and the 50-digit) W has the same signs.
    """
    c = float(candidate)
    x_lo = c - 5e-11
    x_hi = c + 5e-11
    t_max = times[-1]
    if not (x_lo > -0.9 and t_max * abs(lam) <= _FLOAT_CERT_MAX_EXPONENT):
        return False
    l_lo = math.log1p(x_lo) / compound
    l_hi = math.log1p(x_hi) / compound
    d_lo = 8.0 * _UNIT_ROUNDOFF * (abs(x_lo) / (1.0 + x_lo) / compound + abs(l_lo))
    d_hi = 8.0 * _UNIT_ROUNDOFF * (abs(x_hi) / (1.0 + x_hi) / compound + abs(l_hi))
    mul = operator.mul
    pv = sum(terms)
    value = pv - advance
    size = pv + advance
    ee: float = sum(map(mul, times, map(mul, times, terms)))
    k = (_FLOAT_CERT_ULPS + 2.0 * len(terms)) * _UNIT_ROUNDOFF
    gap_lo = lam - (l_lo + d_lo)  # ≤ λ* − λ_lo
    low = value + dd * gap_lo
    if not low > 2.0 * k * (size + abs(dd * gap_lo)):
        return False
    gap_hi = (l_hi - d_hi) - lam  # ≤ λ_hi − λ*
    span = abs(gap_hi) + 2.0 * d_hi  # ≥ |λ_hi − λ*|
    if span * t_max > 1.0:
        return False
    e_max = ee if gap_hi >= 0.0 else ee * math.exp(t_max * span)
    quad = 0.5 * e_max * span * span
    high = value - dd * gap_hi + quad
    return high < -2.0 * k * (size + abs(dd * gap_hi) + quad)


@typed_errors
def periodic_runs(values: Sequence[Decimal]) -> list[Run]:
    """The runs :func:`runs` makes of ``values[k]`` at time ``k`` (no fraction), built directly: when no
    value is zero, a run is a maximal block of consecutive equal values (``runs`` drops zeros and may
    then join equal values across the gap, so with a zero it is used instead).

    >>> periodic_runs([Decimal(-100), Decimal(60), Decimal(60)])  # doctest: +NORMALIZE_WHITESPACE
    [Run(amount=Decimal('-100'), start=0, step=1, count=1, frac=0),
     Run(amount=Decimal('60'), start=1, step=1, count=2, frac=0)]
    """
    if 0 in values:
        return runs((k, 0, v) for k, v in enumerate(values))
    out: list[Run] = []
    t = 0
    for amount, group in itertools.groupby(values):
        count = sum(1 for _ in group)
        out.append(Run(amount, t, 1, count, 0))
        t += count
    return out


@typed_errors
def solve_periodic(values: Sequence[Decimal], multiplier: Exponent = 1, compound: int = 0) -> Decimal:
    """:func:`solve` of ``values[k]`` at time ``k``.

    >>> solve_periodic([Decimal(-100), Decimal(60), Decimal(60)])  # the IRR per period
    Decimal('0.1306623863')
    """
    return Equation(periodic_runs(values)).root(multiplier, compound)


@typed_errors
def solve(flows: Iterable[Flow], multiplier: Exponent = 1, compound: int = 0) -> Decimal:
    """The certified root of the equation of ``(exponent, fraction, amount)`` flows: the rate per period
    times ``multiplier``, or with ``compound = n`` the effective rate ``(1 + r) ** n − 1``.

    >>> solve([(0, 0, Decimal(-100)), (1, 0, Decimal(110))], 12)  # 10 % a month, nominal annual
    Decimal('1.2000000000')
    """
    return Equation(runs(flows)).root(multiplier, compound)


# The unguarded originals, for solve_steps (its own guard covers them); the public names are guarded.
_steps_float = steps_float
_steps_float_at_zero = steps_float_at_zero
_certify_steps_float = certify_steps_float
steps_float = typed_errors(steps_float)
steps_float_at_zero = typed_errors(steps_float_at_zero)
certify_steps_float = typed_errors(certify_steps_float)

#: The examples of the guarded functions (doctest does not look inside a wrapper from another module).
__test__ = {
    fn.__name__: fn
    for fn in (
        runs,
        decimal_exponent,
        steps_value,
        steps_float,
        steps_float_at_zero,
        solve_steps,
        certify_steps_decimal,
        certify_steps_float,
        solve_singles,
        periodic_runs,
        solve_periodic,
        solve,
    )
}
