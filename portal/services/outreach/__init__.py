"""The trade office's outreach: events, referrals, funnel."""
