"""The backend service every face shares: configuration, the safe fetcher, decoding, the cache, digest_url."""
