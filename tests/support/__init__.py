"""Test support shared by tests/ and bench/: the one page server, the one `pith serve` launcher, the Telegram kit."""
