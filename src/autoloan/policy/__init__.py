"""Escalation policy engine: collection strategies as data — decided, explained, simulated.

A :class:`Policy` is plain data (segments, experiments, stages, treatments, holds, promises,
offers) loaded with :meth:`Policy.from_dict` or :meth:`Policy.builtin`. :meth:`Policy.decide` is
a pure function of the policy, a :class:`Case` and an aware ``now``; every planned action has
passed :func:`autoloan.compliance.check`. :func:`simulate` replays a loan through time.

>>> from autoloan.policy import Policy
>>> [s.id for s in Policy.builtin("cn-auto").stages]
['current', 'early', 'deep', 'legal']
"""

from __future__ import annotations

from autoloan.policy.behaviour import Behaviour
from autoloan.policy.case import Arrangement, ArrangementKind, Case, Promise
from autoloan.policy.engine import Decision, Offer, PlannedAction, Suppressed, decide
from autoloan.policy.facts import FACTS, Fact
from autoloan.policy.model import Policy, Stage, Treatment
from autoloan.policy.simulate import Run, RunEvent, simulate

__all__ = [
    "FACTS",
    "Arrangement",
    "ArrangementKind",
    "Behaviour",
    "Case",
    "Decision",
    "Fact",
    "Offer",
    "PlannedAction",
    "Policy",
    "Promise",
    "Run",
    "RunEvent",
    "Stage",
    "Suppressed",
    "Treatment",
    "decide",
    "simulate",
]
