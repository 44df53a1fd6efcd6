# The bulletin is tested on the metrics engine's hand-built world (see that conftest for the records).
from shahrak.metrics.tests.conftest import counties, world  # noqa: F401
