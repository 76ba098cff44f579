"""configMapGenerator / secretGenerator and the content-hash name suffix."""
