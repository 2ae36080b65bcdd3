# Swedish-language pages in Finland write dates and numbers as the Finnish ones do.
from alliance.formats.fi.formats import *  # noqa: F403
