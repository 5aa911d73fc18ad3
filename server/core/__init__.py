"""The core: a page (HTML or copied text) → a Digest. Pure: no Flask, Telegram, network or files of its own choosing."""
