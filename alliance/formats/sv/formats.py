# Swedish-language pages in Finland write dates and numbers as the Finnish ones do,
# and times as kl. 9.00.
from alliance.formats.fi.formats import *  # noqa: F403

DATETIME_FORMAT = r"j.n.Y \k\l. G.i"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l. G.i"
TIME_FORMAT = r"\k\l. G.i"
