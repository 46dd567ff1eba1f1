"""The typed content model. Frozen dataclasses; the loader fills them, nothing mutates them."""
