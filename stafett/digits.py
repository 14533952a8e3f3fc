"""Whole numbers in text from outside (paths, query strings, headers, form fields): ASCII digits only.

`str.isdigit()` is true of "³", which `int()` refuses (a 500 where a 404 was meant), and of "٣",
which `int()` reads as 3. Every number taken from a request or from a fetched header is checked
here before `int()`, so such text is simply not a number.
"""

from __future__ import annotations


def ascii_digits(text: str) -> bool:
    """Whether `text` is one or more of 0-9 and nothing else."""
    return text.isascii() and text.isdigit()
