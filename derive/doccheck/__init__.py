"""check-doc: verify the math of a hand-written Markdown document."""
