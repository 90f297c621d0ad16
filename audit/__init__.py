"""Content review: checks on everything the assistant can say, and the audit report."""
