"""Every event that crosses a service boundary, and the topics that carry them.

Services import these models and never each other. Adding an optional field is safe;
removing, renaming, retyping or making a field required needs a new topic version.
"""

from contracts.envelope import Envelope, new_event_id

__all__ = ["Envelope", "new_event_id"]
