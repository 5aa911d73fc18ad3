"""Pith's Telegram bot: share a link, get its pith."""
