"""Helpers shared by the rule packs: contact windows across time zones and local calendar days.

>>> from datetime import datetime, time
>>> from zoneinfo import ZoneInfo
>>> ny, la = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")
>>> bad, nxt = outside_window(datetime(2026, 3, 2, 9, 0, tzinfo=ny), (ny, la), time(8), time(21))
>>> [z for z, _ in bad], nxt.isoformat()
(['America/Los_Angeles'], '2026-03-02T11:00:00-05:00')
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from autoloan.compliance.engine import Context, _local

__all__ = ["hhmm", "local_day", "outside_window", "rolling_window"]

_MAX_DAYS = 8


def _inside(t: time, start: time, end: time, end_inclusive: bool) -> bool:
    return start <= t and (t <= end if end_inclusive else t < end)


def outside_window(
    now: datetime, zones: tuple[ZoneInfo, ...], start: time, end: time, end_inclusive: bool = True
) -> tuple[list[tuple[str, datetime]], datetime | None]:
    """Zones where ``now`` falls outside the local window, and the earliest instant inside it in all.

    The second item is ``None`` when no instant within a week is inside every zone's window
    (zones too far apart). Wall times are resolved with :mod:`zoneinfo`, so daylight-saving
    changes are handled: 07:30 is outside an 08:00 window on the day the clocks change too.
    """
    bad = []
    for tz in zones:
        local = now.astimezone(tz)
        wall = local.time()  # naive wall time
        if wall < start or (wall > end if end_inclusive else wall >= end):
            bad.append((tz.key, local))
    if not bad:
        return bad, now
    t = now
    for _ in range(_MAX_DAYS * max(1, len(zones)) + 2):
        latest = t
        ok = True
        for tz in zones:
            local = t.astimezone(tz)
            lt = local.time()
            if _inside(lt, start, end, end_inclusive):
                continue
            ok = False
            day = local.date() if lt < start else local.date() + timedelta(days=1)
            cand = _local(day, start, tz)
            if cand > latest:
                latest = cand
        if ok:
            return bad, t.astimezone(now.tzinfo)
        if latest - now > timedelta(days=_MAX_DAYS):
            return bad, None
        t = latest
    return bad, None


def hhmm(t: time | datetime) -> str:
    """``HH:MM`` without ``strftime`` (which is slow).

    >>> hhmm(time(8, 5))
    '08:05'
    """
    return f"{t.hour:02d}:{t.minute:02d}"


def local_day(ts: float, tz: ZoneInfo) -> date:
    """The local calendar date of POSIX time ``ts`` in ``tz``.

    >>> local_day(0.0, ZoneInfo("America/New_York")).isoformat()
    '1969-12-31'
    """
    return datetime.fromtimestamp(ts, tz).date()


def rolling_window(ctx: Context, series: list[float], days: int, limit: int) -> tuple[int, datetime | None]:
    """Count ``series`` items in the ``days`` consecutive local days ending today (before now).

    Returns ``(count, retry_at)``; ``retry_at`` is local midnight of the first day on which the
    count would be below ``limit`` again (``None`` when already below).
    """
    lo = bisect_left(series, ctx.day_start_ts(ctx.day - timedelta(days=days - 1)))
    hi = bisect_left(series, ctx.ts)
    count = hi - lo
    if count < limit:
        return count, None
    # The window must slide past the (count - limit + 1) oldest items in it.
    pivot = series[hi - limit]
    return count, ctx.day_start(local_day(pivot, ctx.zone) + timedelta(days=days))
