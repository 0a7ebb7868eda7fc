"""What every use case of the OTP service is given: its ports, settings and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from otp.ports import (
    ChallengeStore,
    Guards,
    ManyPublisher,
    PortalReads,
    Publisher,
    RefusalLog,
    ReportStore,
    ViewStore,
)
from otp.settings import OtpSettings

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Deps:
    views: ViewStore
    challenges: ChallengeStore
    guards: Guards
    reports: ReportStore
    publish: Publisher
    settings: OtpSettings
    clock: Clock
    refusals: RefusalLog
    reads: PortalReads
    publish_many: ManyPublisher
