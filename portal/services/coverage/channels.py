"""How a membership came through the portal: the one place channels are decided.

A channel is derived from the membership's own record, in this order:
- `funded_batch`: enrolled in a funded batch (APBD or CSR), `Membership.funded_batch_id`;
- `employer`: submitted by a registered business for its worker, `Membership.business_id`;
- `field_agent`: registered by a field agent (no such records yet: map them in here);
- `self`: every other membership enrolled through the portal (the worker's own request).

When self-registration or field agents get their own marker on the enrolment request or the
membership, add its `when` clause to `channel_of` (before the catch-all) and nothing else
changes: the dashboard, its exports and the public page read the channel from here.
"""

from __future__ import annotations

from sqlalchemy import case

from ...models import Membership

CHANNELS = ("employer", "self", "field_agent", "funded_batch")


def channel_of():
    """SQL: the channel (one of `CHANNELS`) of a `Membership` row."""
    return case(
        (Membership.funded_batch_id.is_not(None), "funded_batch"),
        (Membership.business_id.is_not(None), "employer"),
        else_="self",
    )
