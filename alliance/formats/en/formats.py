# English pages keep the Finnish dates (31.8.2023) and times (9.00, without the Finnish
# "klo") but English number separators.
from alliance.formats.fi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
DATETIME_FORMAT = "j.n.Y G.i"
SHORT_DATETIME_FORMAT = "j.n.Y G.i"
TIME_FORMAT = "G.i"
