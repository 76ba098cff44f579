"""The API's semantics, independent of HTTP: reads, writes, deletion, patches and validation."""
