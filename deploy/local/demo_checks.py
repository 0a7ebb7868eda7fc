"""How the demo compares what the services say with its manifest, and how it waits.

On a stack of its own every figure must equal the manifest's. On a stack that already
holds other data (a user's own uploads, or anything added since the last demo) the
whole-stack figures cannot equal the demo's: the demo says so in one line, shows them
without failing, and checks only what is its own. Waiting is never silent: progress is
printed while it lasts, and a timeout says what was seen and what to do.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

PROGRESS_SECONDS = 15.0


class DemoError(Exception):
    """A figure from the services disagrees with the manifest, or a step went wrong."""


@dataclass
class Comparison:
    """Strict on a stack of its own; shown only when the stack holds other data."""

    other_data: bool = False

    def check(self, label: str, got: object, planted: object) -> None:
        check(label, got, planted)

    def compare(self, label: str, got: object, planted: object) -> None:
        """A whole-stack figure: checked on a stack of the demo's own, shown otherwise."""
        if not self.other_data:
            check(label, got, planted)
            return
        print(f"  {label:<44} {got!s:>8}   (whole stack; the demo planted {planted})")


def check(label: str, got: object, planted: object) -> None:
    mark = "ok" if got == planted else "MISMATCH"
    print(f"  {label:<44} {got!s:>8}   manifest {planted!s:>8}   {mark}")
    if got != planted:
        raise DemoError(f"{label}: the services say {got}, the manifest {planted}")


def holds_other_data(before: Mapping[str, int], expected: Mapping[str, int]) -> bool:
    """Before the demo's upload the view held `before` per part: nothing, or exactly an
    earlier run's people (same seed and size), is the demo's own; anything else is not."""
    held = {part: count for part, count in before.items() if count}
    return bool(held) and held != {part: n for part, n in expected.items() if n}


def other_data_note(before: Mapping[str, int], left_out: int = 0) -> str:
    """The one line said on a used stack; `left_out` persons of the demo's have ids the
    stack already held, so they are not counted as its own."""
    leaving = f" (leaving out {left_out} whose ids it already held)" if left_out else ""
    return (
        f" note: this stack already held {sum(before.values())} persons that are not this"
        f" demo's: it counts its own people one by one{leaving}, and shows whole-stack"
        " figures without checking them (`make clean` starts afresh)"
    )


def wait_for(
    what: str,
    probe: Callable[[], bool],
    timeout: float = 180,
    progress: Callable[[], str] | None = None,
) -> None:
    """Poll `probe` until true; every PROGRESS_SECONDS print where things stand."""
    started = time.monotonic()
    shown = started
    while not probe():
        now = time.monotonic()
        status = progress() if progress else ""
        if now - started > timeout:
            seen = f" (last seen: {status})" if status else ""
            raise DemoError(
                f"gave up waiting for {what} after {timeout:.0f} s{seen}; if the stack holds"
                " other data, `make clean` starts afresh"
            )
        if progress and now - shown >= PROGRESS_SECONDS:
            print(f"  still waiting for {what}: {status}", flush=True)
            shown = now
        time.sleep(0.5)
