"""Reporting: response times, SLA compliance and the trust index, exact over any window and from
monthly summaries over whole months, and what of them the public may see."""
