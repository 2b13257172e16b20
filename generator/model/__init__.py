"""Stage 3, the model: the typed dataclasses templates read (`api`), and the builders that make them
from the OpenAPI 3 document the spec stage hands on, naming every Python identifier on the way
(`naming`). Spec quirks are settled here; nothing here knows of templates or formatting."""
