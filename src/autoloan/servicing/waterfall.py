"""Payment allocation waterfalls, as data.

A waterfall is an ordered list of ``(scope, component)`` steps. Components are
penalty (罚息), fees (late and scheduled fees), interest (利息) and principal
(本金); scopes are past due (逾期), currently due (the installment of the
current period) and not yet due. ``processing`` says whether the engine walks
installments first, oldest first, paying each one's components in order
(Fineract's "horizontal" processing, 按期次), or components first across all
installments (Fineract's "vertical" processing, 按科目). ``overpayment`` says where
money goes once everything past due and currently due is paid: to the principal
of the last installments (the term shortens) or to the next installments in
order (paid ahead). The model follows Apache Fineract's advanced payment
allocation (``PaymentAllocationType`` = {PAST_DUE, DUE, IN_ADVANCE} x {PENALTY,
FEE, INTEREST, PRINCIPAL}; ``LoanScheduleProcessingType`` HORIZONTAL/VERTICAL;
``FutureInstallmentAllocationRule`` NEXT_INSTALLMENT/LAST_INSTALLMENT).

>>> from autoloan.servicing.waterfall import Waterfall
>>> w = Waterfall.preset("cn_bank")
>>> [c.value for c in w.order("past_due")]
['penalty', 'fees', 'interest', 'principal']
>>> w.overpayment.label_zh
'提前偿还下一期'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any, NamedTuple

from autoloan._enums import parse_member
from autoloan.errors import InvalidInput

__all__ = [
    "PRESETS",
    "Component",
    "Overpayment",
    "Part",
    "Processing",
    "Scope",
    "Waterfall",
]


class Component(str, Enum):
    """What a payment can pay.

    >>> Component.parse("利息"), Component.PENALTY.label_zh
    (<Component.INTEREST: 'interest'>, '罚息')
    """

    PENALTY = "penalty"
    FEES = "fees"
    INTEREST = "interest"
    PRINCIPAL = "principal"

    @property
    def label_en(self) -> str:
        return {
            "penalty": "penalty interest",
            "fees": "fees",
            "interest": "interest",
            "principal": "principal",
        }[self.value]

    @property
    def label_zh(self) -> str:
        return {"penalty": "罚息", "fees": "费用", "interest": "利息", "principal": "本金"}[self.value]

    @classmethod
    def parse(cls, value: Component | str, field: str = "component") -> Component:
        """Accept a member, its value, or its Chinese label."""
        return parse_member(
            cls,
            value,
            field,
            aliases={"fee": "fees", "penalties": "penalty"},
            hint="unknown component; use penalty, fees, interest or principal",
        )


class Scope(str, Enum):
    """Which installments a step applies to, relative to the payment date.

    >>> Scope.parse("overdue").label_zh
    '逾期'
    """

    PAST_DUE = "past_due"
    DUE = "due"
    NOT_YET_DUE = "not_yet_due"

    @property
    def label_en(self) -> str:
        return {"past_due": "past due", "due": "currently due", "not_yet_due": "not yet due"}[self.value]

    @property
    def label_zh(self) -> str:
        return {"past_due": "逾期", "due": "当期", "not_yet_due": "未到期"}[self.value]

    @classmethod
    def parse(cls, value: Scope | str, field: str = "scope") -> Scope:
        return parse_member(
            cls,
            value,
            field,
            aliases={"overdue": "past_due", "in_advance": "not_yet_due", "future": "not_yet_due"},
            hint="unknown scope; use past_due, due or not_yet_due",
        )


class Processing(str, Enum):
    """Installments first (horizontal, 按期次) or components first (vertical, 按科目).

    >>> Processing.parse("vertical").value
    'component_first'
    """

    INSTALLMENT_FIRST = "installment_first"
    COMPONENT_FIRST = "component_first"

    @property
    def label_en(self) -> str:
        return "oldest installment first" if self is Processing.INSTALLMENT_FIRST else "component first"

    @property
    def label_zh(self) -> str:
        return "按期次（先还最早一期）" if self is Processing.INSTALLMENT_FIRST else "按科目（先还同一科目）"

    @classmethod
    def parse(cls, value: Processing | str, field: str = "processing") -> Processing:
        return parse_member(
            cls,
            value,
            field,
            aliases={"horizontal": "installment_first", "vertical": "component_first"},
            hint="use installment_first (horizontal) or component_first (vertical)",
        )


class Overpayment(str, Enum):
    """Where money goes after everything past due and currently due is paid.

    >>> Overpayment.parse("reduce_principal").label_zh
    '冲减本金（缩短期限）'
    """

    REDUCE_PRINCIPAL = "reduce_principal"
    PREPAY_NEXT = "prepay_next"

    @property
    def label_en(self) -> str:
        if self is Overpayment.REDUCE_PRINCIPAL:
            return "reduces principal (last installments first)"
        return "prepays the next installment"

    @property
    def label_zh(self) -> str:
        return "冲减本金（缩短期限）" if self is Overpayment.REDUCE_PRINCIPAL else "提前偿还下一期"

    @classmethod
    def parse(cls, value: Overpayment | str, field: str = "overpayment") -> Overpayment:
        return parse_member(cls, value, field, hint="use reduce_principal or prepay_next")


class Part(IntEnum):
    """A :class:`Component` as the index of its column in the posting engine (penalty 0 … principal 3).

    >>> Part.of(Component.INTEREST), Part.PRINCIPAL.component.label_zh
    (<Part.INTEREST: 2>, '本金')
    """

    PENALTY = 0
    FEES = 1
    INTEREST = 2
    PRINCIPAL = 3

    @property
    def component(self) -> Component:
        return _COMPONENTS[self]

    @property
    def label_en(self) -> str:
        return self.component.label_en

    @property
    def label_zh(self) -> str:
        return self.component.label_zh

    @classmethod
    def of(cls, component: Component) -> Part:
        return _PARTS[component]


_COMPONENTS = {
    Part.PENALTY: Component.PENALTY,
    Part.FEES: Component.FEES,
    Part.INTEREST: Component.INTEREST,
    Part.PRINCIPAL: Component.PRINCIPAL,
}
_PARTS = {c: p for p, c in _COMPONENTS.items()}


class WaterfallIndex(NamedTuple):
    """A waterfall as the posting engine reads it: the part order of each scope, and every step.

    ``not_yet_due`` lists every part (the currently-due order, completed, when the waterfall has no
    not-yet-due steps); ``steps`` are (scope, part) with scope 0 past due, 1 due, 2 not yet due.
    """

    past_due: tuple[Part, ...]
    due: tuple[Part, ...]
    not_yet_due: tuple[Part, ...]
    steps: tuple[tuple[int, Part], ...]


_NO_INDEX = WaterfallIndex((), (), (), ())


@dataclass(frozen=True, slots=True)
class Waterfall:
    """An allocation order: ``steps`` of (scope, component), processing and overpayment rule.

    Past-due and currently-due scopes must each list all four components, so
    money can always reach every amount owed. Not-yet-due steps are optional;
    without them, prepaid installments are paid in the currently-due order.

    >>> w = Waterfall.from_order(["fees", "interest", "principal", "penalty"], overpayment="reduce_principal")
    >>> [s.value + ":" + c.value for s, c in w.steps[:2]]
    ['past_due:fees', 'past_due:interest']
    >>> Waterfall(steps=(("past_due", "interest"),))
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: waterfall.steps: past_due must list every component; missing fees, ...
    """

    steps: tuple[tuple[Scope, Component], ...]
    processing: Processing = Processing.INSTALLMENT_FIRST
    overpayment: Overpayment = Overpayment.PREPAY_NEXT
    name: str = "custom"
    citation: str = ""
    index: WaterfallIndex = field(default=_NO_INDEX, init=False, repr=False, compare=False)
    """The orders by scope as :class:`Part` tuples (derived from ``steps``; read by the posting engine)."""

    def __post_init__(self) -> None:
        try:
            raw = tuple(self.steps)
        except TypeError:
            raise InvalidInput(
                "waterfall.steps", self.steps, "must be a sequence of (scope, component)"
            ) from None
        steps: list[tuple[Scope, Component]] = []
        for i, step in enumerate(raw):
            if not isinstance(step, tuple | list) or len(step) != 2:
                raise InvalidInput(f"waterfall.steps[{i}]", step, "must be a (scope, component) pair")
            pair = (
                Scope.parse(step[0], f"waterfall.steps[{i}][0]"),
                Component.parse(step[1], f"waterfall.steps[{i}][1]"),
            )
            if pair in steps:
                raise InvalidInput(f"waterfall.steps[{i}]", step, "is listed twice")
            steps.append(pair)
        object.__setattr__(self, "steps", tuple(steps))
        object.__setattr__(self, "processing", Processing.parse(self.processing, "waterfall.processing"))
        object.__setattr__(self, "overpayment", Overpayment.parse(self.overpayment, "waterfall.overpayment"))
        if not isinstance(self.name, str) or not isinstance(self.citation, str):
            raise InvalidInput("waterfall.name", self.name, "name and citation must be strings")
        orders: dict[Scope, list[Part]] = {s: [] for s in Scope}
        for scope, comp in steps:
            orders[scope].append(_PARTS[comp])
        for scope in (Scope.PAST_DUE, Scope.DUE):
            missing = sorted(c.value for c in Component if _PARTS[c] not in orders[scope])
            if missing:
                raise InvalidInput(
                    "waterfall.steps",
                    self.steps,
                    f"{scope.value} must list every component; missing {', '.join(missing)}",
                )
        future = orders[Scope.NOT_YET_DUE] or orders[Scope.DUE]
        future = future + [p for p in Part if p not in future]
        flat = tuple((0 if s is Scope.PAST_DUE else 1 if s is Scope.DUE else 2, _PARTS[c]) for s, c in steps)
        index = WaterfallIndex(tuple(orders[Scope.PAST_DUE]), tuple(orders[Scope.DUE]), tuple(future), flat)
        object.__setattr__(self, "index", index)

    def order(self, scope: Scope | str) -> tuple[Component, ...]:
        """The components of one scope, in payment order."""
        s = Scope.parse(scope)
        pos = {Scope.PAST_DUE: 0, Scope.DUE: 1, Scope.NOT_YET_DUE: 2}[s]
        index = self.index
        parts = (index.past_due, index.due, index.not_yet_due)[pos]
        return tuple(p.component for p in parts)

    def replace(self, **changes: Any) -> Waterfall:
        """A copy with some fields changed, e.g. ``w.replace(overpayment="reduce_principal")``."""
        values: dict[str, Any] = {
            "steps": self.steps,
            "processing": self.processing,
            "overpayment": self.overpayment,
            "name": self.name,
            "citation": self.citation,
        }
        unknown = set(changes) - set(values)
        if unknown:
            raise InvalidInput("waterfall.replace", sorted(unknown), "unknown Waterfall fields")
        values.update(changes)
        return Waterfall(**values)

    @classmethod
    def from_order(
        cls,
        components: Iterable[Component | str],
        *,
        processing: Processing | str = Processing.INSTALLMENT_FIRST,
        overpayment: Overpayment | str = Overpayment.PREPAY_NEXT,
        name: str = "custom",
        citation: str = "",
    ) -> Waterfall:
        """One component order for past-due, then currently-due installments.

        >>> Waterfall.from_order(0.0)
        Traceback (most recent call last):
        ...
        autoloan.errors.InvalidInput: waterfall.components: must be a list of components ... (got 0.0)
        """
        if isinstance(components, str | bytes) or not isinstance(components, Iterable):
            raise InvalidInput(
                "waterfall.components",
                components,
                "must be a list of components (penalty, fees, interest, principal)",
            )
        errors: list[InvalidInput] = []
        comps: list[Component] = []
        for i, c in enumerate(components):
            try:
                comps.append(Component.parse(c, f"waterfall.components[{i}]"))
            except InvalidInput as exc:
                errors.append(exc)
        if errors:
            raise InvalidInput.collect(errors)
        steps = tuple((scope, c) for scope in (Scope.PAST_DUE, Scope.DUE) for c in comps)
        return cls(
            steps=steps,
            processing=Processing.parse(processing, "waterfall.processing"),
            overpayment=Overpayment.parse(overpayment, "waterfall.overpayment"),
            name=name,
            citation=citation,
        )

    @classmethod
    def preset(cls, name: str) -> Waterfall:
        """A named preset: ``cn_bank``, ``us_simple_interest``, ``fineract_standard``, ``interest_first``.

        >>> Waterfall.preset("us_simple_interest").overpayment.value
        'reduce_principal'
        """
        if isinstance(name, Waterfall):
            return name
        if isinstance(name, str):
            found = PRESETS.get(name.strip().lower().replace("-", "_"))
            if found is not None:
                return found
        raise InvalidInput("waterfall", name, "unknown preset; use one of " + ", ".join(sorted(PRESETS)))


PRESETS: dict[str, Waterfall] = {
    # 罚息 -> 利息 -> 本金, oldest installment first, overpayment prepays the next installment.
    # Fees (实现债权的有关费用) come before interest per PRC Civil Code art. 561 (费用 -> 利息 -> 主债务,
    # unless agreed otherwise); 罚息 is paid first as overdue interest, as the issue specifies.
    "cn_bank": Waterfall.from_order(
        ["penalty", "fees", "interest", "principal"],
        overpayment="prepay_next",
        name="cn_bank",
        citation="中华人民共和国民法典 第五百六十一条 (费用、利息、主债务的抵充顺序)",
    ),
    # US simple interest: the installment's interest, then its principal, past due before currently due;
    # late fees and other charges only after that; extra money reduces principal. Applying a payment to the
    # installment before fees is what keeps one late fee from making every later full, on-time payment
    # short (FTC Credit Practices Rule, 16 CFR 444.4(a), forbids the resulting pyramiding of late charges).
    "us_simple_interest": Waterfall(
        steps=(
            (Scope.PAST_DUE, Component.INTEREST),
            (Scope.PAST_DUE, Component.PRINCIPAL),
            (Scope.DUE, Component.INTEREST),
            (Scope.DUE, Component.PRINCIPAL),
            (Scope.PAST_DUE, Component.FEES),
            (Scope.DUE, Component.FEES),
            (Scope.PAST_DUE, Component.PENALTY),
            (Scope.DUE, Component.PENALTY),
        ),
        processing=Processing.COMPONENT_FIRST,
        overpayment=Overpayment.REDUCE_PRINCIPAL,
        name="us_simple_interest",
        citation=(
            "GM Financial, Southeast Toyota Finance: simple interest (interest, then principal); "
            "16 CFR 444.4(a) (no pyramiding of late charges): fees after the installment"
        ),
    ),
    # Fineract mifos-standard-strategy: penalties, fees, interest, principal, installment by installment.
    "fineract_standard": Waterfall.from_order(
        ["penalty", "fees", "interest", "principal"],
        overpayment="prepay_next",
        name="fineract_standard",
        citation="apache/fineract FineractStyleLoanRepaymentScheduleTransactionProcessor (mifos-standard)",
    ),
    # Fineract rbi-india-strategy: all interest (past due and due) before any principal.
    "interest_first": Waterfall(
        steps=tuple(
            (scope, comp)
            for comp in (Component.PENALTY, Component.FEES, Component.INTEREST, Component.PRINCIPAL)
            for scope in (Scope.PAST_DUE, Scope.DUE)
        ),
        processing=Processing.COMPONENT_FIRST,
        overpayment=Overpayment.PREPAY_NEXT,
        name="interest_first",
        citation="apache/fineract RBIIndiaLoanRepaymentScheduleTransactionProcessor (rbi-india-strategy)",
    ),
}
