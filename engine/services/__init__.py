"""The use cases every face calls: check, screen, replay, verify, settle, show, report."""
