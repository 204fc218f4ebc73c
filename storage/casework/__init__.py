"""Case work: opening cases from triaged reports, what panels do with them, reading them as
each person may, likely duplicates, SLA clocks, notices to staff and corrections for training."""
