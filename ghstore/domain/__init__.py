"""The rules of stored objects, with no I/O and no GitHub answer shapes: gh-store 0.11's
format (`format`), deep merge (`deep_merge`), large objects (`large`), the alias and merge
vocabulary (`canonical`), and which comments count and what they fold to (`verdicts`)."""
