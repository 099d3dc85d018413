"""How a membership came through the portal: the one place channels are decided.

A channel is derived from the membership's own record, in this order:
- `funded_batch`: enrolled in a funded batch (APBD or CSR), `Membership.funded_batch_id`;
- `field_agent`: its enrolment request came from a field agent
  (`EnrolmentRequest.channel`);
- `employer`: submitted by a registered business for its worker, `Membership.business_id`;
- `self`: every other membership enrolled through the portal (the worker's own request).

A new channel adds its `when` clause to `channel_of` (before the catch-all) and nothing else
changes: the dashboard, its exports and the public page read the channel from here.
"""

from __future__ import annotations

from sqlalchemy import case, exists

from ...models import EnrolmentChannel, EnrolmentRequest, Membership

CHANNELS = ("employer", "self", "field_agent", "funded_batch")


def channel_of():
    """SQL: the channel (one of `CHANNELS`) of a `Membership` row."""
    by_agent = exists().where(
        EnrolmentRequest.id == Membership.enrolment_request_id,
        EnrolmentRequest.channel == EnrolmentChannel.FIELD_AGENT.value,
    )
    return case(
        (Membership.funded_batch_id.is_not(None), "funded_batch"),
        (by_agent, "field_agent"),
        (Membership.business_id.is_not(None), "employer"),
        else_="self",
    )
