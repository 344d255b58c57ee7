"""The transport core: wire values, the aiohttp transport, SSE decoding, error mapping, retries."""
