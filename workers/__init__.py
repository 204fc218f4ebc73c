"""RQ jobs and their dispatch: thin functions that load by id, call triage and storage, commit."""
