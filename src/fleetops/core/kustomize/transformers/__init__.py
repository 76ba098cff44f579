"""kustomize's built-in transformers, one per module, each a function over a ResMap."""
