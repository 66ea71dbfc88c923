"""Text checks shared by the rules: Title Case, sentence case, sentence endings."""

from __future__ import annotations

import re

# Short words that stay lower case inside a Title Case label ("Sent On Or After" keeps "Or").
MINOR_WORDS = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "from", "with"}


def is_title_case(text: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'\u2019]*", text)
    for index, word in enumerate(words):
        if word[0].islower() and not (index > 0 and word in MINOR_WORDS):
            return False
    return bool(words)


def is_sentence(text: str) -> bool:
    """Starts with a capital letter or digit and ends with . ! or ?"""
    text = text.strip()
    return bool(text) and (text[0].isupper() or text[0].isdigit()) and text[-1] in ".!?"


def starts_upper(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0].isdigit())
