"""What the generated files look like: their columns, the pay months of e-Billing and the
heads of account it pays from, and the master data's deliberate gaps in classification."""

from __future__ import annotations

from datetime import date

APPOINTED = date(2024, 8, 15)
PAY_MONTHS = tuple(date(2023 + (m + 8) // 12, (m + 8) % 12 + 1, 1) for m in range(12))
HKRNL_COLUMNS = [
    "hkrnl_id",
    "name",
    "aadhaar_no",
    "date_of_birth",
    "date_of_joining",
    "mobile",
    "family_id",
    "department_code",
    "office_code",
    "post_code",
    "ddo_code",
    "district",
    "monthly_remuneration",
    "employment",
    "scheme",
    "deployments",
    "ref_no",
]
EBILLING_COLUMNS = [
    "employee_code",
    "name",
    "Aadhar_No",
    "ddo_code",
    "treasury",
    "head_of_account",
    "month",
    "days_paid",
    "amount",
    "mobile",
    "family_id",
    "date_of_birth",
    "date_of_joining",
    "department_code",
    "office_code",
    "post_code",
    "district",
]
MASTER_COLUMNS = (
    *("entity_type", "code", "name", "parent_type", "parent_code", "active"),
    *("funding", "employment"),
)
# Master data classifies heads (scheme heads: sub-head 97 is a centrally sponsored scheme)
# and posts (one part-time post); one head in use is left unclassified on purpose.
CSS_SUB_HEAD = "97"
PART_TIME_POST = ("P90", "Part-time Sweeper")
UNCLASSIFIED_HEAD = "2052-00-090-99"
# The major-minor head each department pays from (any other: 2052-00-090).
HEADS = {"HLT": "2210-01-110", "SED": "2202-01-101", "IWR": "2700-01-800", "PWD": "3054-04-337"}
