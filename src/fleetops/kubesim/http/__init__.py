"""The HTTP face of a simulated cluster (aiohttp): routing, discovery, OpenAPI, REST, watch."""
