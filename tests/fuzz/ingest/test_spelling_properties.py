"""Property tests of the spellings offices' spreadsheets write: any date, month, deployment
or amount written in any accepted spelling reads back as exactly what was written; and an
e-Billing line of a partly paid month never puts a paid day before the date of joining."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.domain import normalise as n
from ingest.domain import parsing, spellings
from ingest.domain.hkrnl import deployments
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection
from otp.domain.rules import paid_days_between

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH = ["January", "February", "March", "April", "May", "June", "July", "August"]
MONTH += ["September", "October", "November", "December"]
# Dates an Excel serial of 4-5 digits can hold, and that a person's record may carry.
days = st.dates(date(1902, 9, 26), date(2173, 10, 14))
case = st.sampled_from([str, str.upper, str.lower])


def serial(day: date) -> int:
    return (day - spellings.EXCEL_EPOCH).days


def clock(draw: st.DrawFn) -> str:
    hour, minute, second = (
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
    )
    return draw(
        st.sampled_from(
            [
                f"{hour:02d}:{minute:02d}",
                f"{hour:02d}:{minute:02d}:{second:02d}",
                f"{hour % 12 or 12}:{minute:02d}:{second:02d} {'AM' if hour < 12 else 'PM'}",
            ]
        )
    )


Spell = Callable[[st.DrawFn, date], str]
DATE_WRITERS: dict[str, Spell] = {
    "dd-mm-yyyy (also d-m-yyyy)": lambda d, x: draw_one(
        d, [f"{x:%d-%m-%Y}", f"{x.day}-{x.month}-{x.year}"]
    ),
    "dd/mm/yyyy": lambda d, x: f"{x:%d/%m/%Y}",
    "dd.mm.yyyy": lambda d, x: f"{x:%d.%m.%Y}",
    "dd-Mon-yyyy (Mon: Jan..Dec or the full name, any case)": lambda d, x: (
        f"{x:%d}-{d(case)(MON[x.month - 1])}-{x.year}"
    ),
    "dd Mon yyyy": lambda d, x: f"{x.day} {MON[x.month - 1]} {x.year}",
    "dd/Mon/yyyy": lambda d, x: f"{x:%d}/{MON[x.month - 1]}/{x.year}",
    "dd-Month-yyyy": lambda d, x: f"{x:%d}-{d(case)(MONTH[x.month - 1])}-{x.year}",
    "yyyy-mm-dd (ISO)": lambda d, x: x.isoformat(),
    "ISO date and time": lambda d, x: (
        f"{x.isoformat()}T{clock(d)}" + d(st.sampled_from(["", "Z", "+05:30"]))
    ),
    "any of the dd..yyyy spellings followed by a time": lambda d, x: f"{x:%d/%m/%Y} {clock(d)}",
    "Excel serial number (1900 date system)": lambda d, x: str(serial(x)),
    "Excel serial number with a time fraction": lambda d, x: (
        f"{serial(x)}.{d(st.integers(0, 999999)):06d}"
    ),
}
MONTH_WRITERS: dict[str, Callable[[st.DrawFn, int, int], str]] = {
    "mm-yyyy (also m-yyyy)": lambda d, y, m: draw_one(d, [f"{m:02d}-{y}", f"{m}-{y}"]),
    "mm/yyyy": lambda d, y, m: f"{m:02d}/{y}",
    "yyyy-mm": lambda d, y, m: f"{y}-{m:02d}",
    "yyyy/mm": lambda d, y, m: f"{y}/{m:02d}",
    "Mon-yyyy": lambda d, y, m: f"{d(case)(MON[m - 1])}-{y}",
    "Mon yyyy": lambda d, y, m: f"{MON[m - 1]} {y}",
    "Month yyyy": lambda d, y, m: f"{d(case)(MONTH[m - 1])} {y}",
    "Mon-yy (Excel's mmm-yy; the year is 20yy)": lambda d, y, m: f"{MON[m - 1]}-{y % 100:02d}",
    "any date spelling above: the month it falls in": lambda d, y, m: (
        f"{d(st.integers(1, monthrange(y, m)[1])):02d}-{MON[m - 1]}-{y}"
    ),
}


def draw_one(draw: st.DrawFn, choices: list[str]) -> str:
    return draw(st.sampled_from(choices))


def test_every_documented_spelling_has_a_writer_here() -> None:
    assert set(DATE_WRITERS) == {name for name, _ in spellings.DATE_SPELLINGS}
    assert set(MONTH_WRITERS) == {name for name, _ in spellings.MONTH_SPELLINGS}


@SETTINGS
@given(st.data(), days, st.sampled_from(sorted(DATE_WRITERS)))
def test_any_date_in_any_accepted_spelling_reads_as_that_date(
    data: st.DataObject, day: date, spelling: str
) -> None:
    text = DATE_WRITERS[spelling](data.draw, day)
    assert n.parse_date("date_of_joining", text) == day, text


@SETTINGS
@given(
    st.data(),
    st.integers(2000, 2099),
    st.integers(1, 12),
    st.sampled_from(sorted(MONTH_WRITERS)),
)
def test_any_pay_month_in_any_accepted_spelling_reads_as_that_month(
    data: st.DataObject, year: int, month: int, spelling: str
) -> None:
    text = MONTH_WRITERS[spelling](data.draw, year, month)
    last = date(year, month, monthrange(year, month)[1])
    assert n.parse_month("month", text) == (date(year, month, 1), last), text


@SETTINGS
@given(
    st.data(),
    st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    st.integers(0, 5000),
    st.sampled_from([":", " to ", " TO ", " - ", "–", " — "]),
    st.sampled_from(sorted(DATE_WRITERS)),
)
def test_any_deployment_written_from_to_reads_as_its_period(
    data: st.DataObject, start: date, length: int, separator: str, spelling: str
) -> None:
    end = start + timedelta(days=length)
    write = DATE_WRITERS[spelling]
    if separator == ":" and ":" in write(data.draw, start):  # a time needs another separator
        separator = " to "
    text = f"{write(data.draw, start)}{separator}{write(data.draw, end)}"
    [period] = deployments(text, start, date(2031, 1, 1), None)
    assert (period.start, period.end, period.days_paid) == (start, end, length + 1), text


def group(digits: str, indian: bool) -> str:
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    size = 2 if indian else 3
    parts = []
    while head:
        parts.insert(0, head[-size:])
        head = head[:-size]
    return ",".join([*parts, tail])


@SETTINGS
@given(
    st.integers(0, 10**9 - 1),  # below normalise.MAX_AMOUNT
    st.integers(0, 99),
    st.sampled_from(["plain", "indian", "western"]),
    st.sampled_from(["", "Rs. ", "Rs", "INR ", "₹ ", "₹"]),
    st.sampled_from(["", "/-", " /-", "/="]),
    st.booleans(),
)
def test_any_amount_in_any_accepted_spelling_reads_exactly(
    rupees: int, paise: int, grouping: str, prefix: str, suffix: str, with_paise: bool
) -> None:
    digits = str(rupees) if grouping == "plain" else group(str(rupees), grouping == "indian")
    text = f"{prefix}{digits}{f'.{paise:02d}' if with_paise else ''}{suffix}"
    expected = Decimal(f"{rupees}.{paise:02d}" if with_paise else f"{rupees}.00")
    assert n.amount("amount", text) == expected, text
    assert str(n.amount("amount", text)) == str(expected)


HEADER = "employee_code,name,head_of_account,month,days_paid,amount,mobile,family_id,"
HEADER += "date_of_birth,date_of_joining"


@SETTINGS
@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 31), st.data())
def test_a_partly_paid_month_puts_no_paid_day_before_the_date_of_joining(
    joined: date, days_paid: int, data: st.DataObject
) -> None:
    """Any month of joining, any joining day, any days paid: the line is placed from the
    date of joining, or rejected with a reason when the month has fewer days in service."""
    first = joined.replace(day=1)
    month = data.draw(st.sampled_from([first, first - timedelta(days=1), first + timedelta(32)]))
    text = f"{month:%m-%Y}"
    line = f"E1,Sita,2210-01-110-99-69,{text},{days_paid},15000,9812345670,AB12CD34,"
    line += f"01-01-1970,{joined:%d-%m-%Y}"
    [item] = list(parsing.parse_ebilling_csv([HEADER, line], ParseStats()))
    in_service = (
        date(month.year, month.month, monthrange(month.year, month.month)[1])
        - max(joined, month.replace(day=1))
    ).days + 1
    if isinstance(item, Rejection):
        assert in_service <= 0 or days_paid > in_service, item.reason
        assert item.field in {"month", "days_paid"}
        return
    assert isinstance(item, EmployeeDraft)
    [period] = item.service_periods
    before = paid_days_between(item.service_periods, date(1999, 1, 1), joined - timedelta(days=1))
    assert before == 0
    assert period.start == max(joined, month.replace(day=1))
    assert period.days_paid == days_paid
    assert paid_days_between(item.service_periods, joined, period.end) == days_paid
