"""Stage 3, the model: the typed dataclasses templates read (`api`), and the builders that make them from a
loaded spec, naming every Python identifier on the way. Spec quirks are settled here."""
