"""The pipeline's components; importing this package registers their factories."""
from . import dates, layout, metadata, officials, organisations, pledges, themes  # noqa: F401
