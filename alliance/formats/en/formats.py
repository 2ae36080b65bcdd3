# English pages keep the Finnish dates (31.8.2023) but English number separators.
from alliance.formats.fi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
