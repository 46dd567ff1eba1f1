"""Stage 3: renderers. Siblings (html, and later pdf, xlsx, screen) that only read the
scored model; none recomputes a score. `format` holds the wording they share."""
