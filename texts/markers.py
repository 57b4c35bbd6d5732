"""N_ marks a msgid for extraction where it is translated later, for a locale chosen then."""


def N_(msgid: str) -> str:
    return msgid
