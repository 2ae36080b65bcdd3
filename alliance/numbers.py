"""Numbers as the pages and documents show them."""

MINUS_SIGN = "\u2212"


def with_minus_sign(text: str) -> str:
    """Return a formatted number with the typographic minus sign: −5, not -5.

    Only for what people read. Exports and form inputs keep the hyphen-minus, which
    other programs read back; the number parser accepts both.
    """
    return MINUS_SIGN + text[1:] if text.startswith("-") else text
