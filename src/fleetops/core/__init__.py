"""Pure Kubernetes knowledge: schema, patches, selectors, rendering. No I/O, no asyncio, no clock."""
