"""The policy as it travels to workers: canonical JSON, compiled once per process (keyed by digest)."""

from __future__ import annotations

import json

from autoloan.errors import InvalidInput
from autoloan.policy import Policy
from autoloan.policy.model import canonical_json

__all__ = ["compiled", "shipped"]

_COMPILED: dict[str, Policy] = {}


def shipped(policy: Policy) -> tuple[str, str]:
    """(canonical JSON text, digest): what a driver broadcasts to its workers."""
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be an autoloan.policy.Policy")
    return canonical_json(policy.to_dict()).decode(), policy.digest


def compiled(text: str, digest: str) -> Policy:
    """The policy of ``text``, built once per process; refuses text whose digest differs."""
    found = _COMPILED.get(digest)
    if found is None:
        found = Policy.from_dict(json.loads(text))
        if found.digest != digest:
            raise InvalidInput("policy", digest, f"the shipped policy has digest {found.digest}")
        _COMPILED[digest] = found
    return found
