"""Pictures of schedules, accounts and portfolios (optional matplotlib)."""

from __future__ import annotations

__all__: list[str] = []
