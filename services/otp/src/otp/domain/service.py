"""Service as the rules count it: the source data's periods, plus the periods an effective
certification names for the years the data does not cover (pure). See docs/otp-rules.md.

Days are never counted twice: a period that overlaps days already taken is clipped to the
days that are left, its paid days in proportion (rounded down).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from contracts.certification import CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived, ServicePeriod
from otp.domain.rules import paid_days_between, year_windows

Span = tuple[date, date]
Credit = tuple[str, ServicePeriod]  # certification id, the period it adds


def _free(start: date, end: date, taken: Sequence[Span]) -> list[Span]:
    """The parts of [start, end] that no span in `taken` (sorted, disjoint) covers."""
    free: list[Span] = []
    cursor = start
    for lo, hi in taken:
        if hi < cursor or lo > end:
            continue
        if lo > cursor:
            free.append((cursor, lo - timedelta(days=1)))
        cursor = max(cursor, hi + timedelta(days=1))
        if cursor > end:
            return free
    if cursor <= end:
        free.append((cursor, end))
    return free


def _take(taken: list[Span], span: Span) -> list[Span]:
    """`taken` with `span` added, kept sorted and merged."""
    spans = sorted([*taken, span])
    merged: list[Span] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def clipped(period: ServicePeriod, taken: Sequence[Span]) -> list[ServicePeriod]:
    """`period` without the days `taken` covers; paid days in proportion, rounded down."""
    length = (period.end - period.start).days + 1
    pieces = _free(period.start, period.end, taken)
    if pieces == [(period.start, period.end)]:
        return [period]
    return [
        period.model_copy(
            update={
                "start": lo,
                "end": hi,
                "days_paid": period.days_paid * ((hi - lo).days + 1) // length,
            }
        )
        for lo, hi in pieces
    ]


def counted_once(sources: Iterable[Sequence[ServicePeriod]]) -> list[ServicePeriod]:
    """Periods of several sources, the earlier sources first: a later period's days that an
    earlier one already covers are counted once."""
    result: list[ServicePeriod] = []
    taken: list[Span] = []
    for periods in sources:
        added: list[ServicePeriod] = []
        for period in periods:
            added.extend(clipped(period, taken))
        for period in added:
            taken = _take(taken, (period.start, period.end))
        result.extend(added)
    return sorted(result, key=lambda p: (p.start, p.end))


def certified_credits(
    data: Sequence[ServicePeriod], certifications: Sequence[CertificationTookEffect]
) -> list[Credit]:
    """The certified periods that fall before the data's first paid day (the years the
    data does not cover), each paid in full; an open end runs to the letter date. An
    older certification wins a day two certifications both name."""
    data_from = min((p.start for p in data), default=date.max)
    taken: list[Span] = []
    credits: list[Credit] = []
    for cert in certifications:
        for certified in cert.service_periods:
            end = min(certified.end or cert.letter_date, data_from - timedelta(days=1))
            if end < certified.start:
                continue
            for lo, hi in _free(certified.start, end, taken):
                days = (hi - lo).days + 1
                credits.append(
                    (cert.certification_id, ServicePeriod(start=lo, end=hi, days_paid=days))
                )
                taken = _take(taken, (lo, hi))
    return sorted(credits, key=lambda c: c[1].start)


def with_certified_service(
    record: EmployeeRecordReceived, certifications: Sequence[CertificationTookEffect]
) -> tuple[EmployeeRecordReceived, list[Credit]]:
    """The record the rules read: its periods plus the certified ones, and those credits."""
    credits = certified_credits(record.service_periods, certifications)
    if not credits:
        return record, []
    periods = sorted(
        [*record.service_periods, *(period for _, period in credits)], key=lambda p: p.start
    )
    return record.model_copy(update={"service_periods": tuple(periods)}), credits


def certified_years(
    credits: Sequence[Credit], joining: date | None, appointed: date
) -> list[dict[str, Any]]:
    """Which one-year periods took days from which certification, and how many."""
    if not credits or joining is None:
        return []
    evidence: list[dict[str, Any]] = []
    for start, end in year_windows(joining, appointed):
        by_cert: dict[str, float] = {}
        for cert_id, period in credits:
            days = paid_days_between([period], start, end)
            if days:
                by_cert[cert_id] = by_cert.get(cert_id, 0.0) + float(days)
        evidence.extend(
            {"from": start.isoformat(), "to": end.isoformat(), "certification_id": c, "days": d}
            for c, d in sorted(by_cert.items())
        )
    return evidence
