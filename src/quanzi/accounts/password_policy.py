"""Which passwords are too easy to guess (a pure rule, no session).

The estimate is zxcvbn's (the maintained Python port of Dropbox's estimator): it knows
the 30,000 most common leaked passwords, words and names, repeats (``aaaaaaaa``),
sequences (``12345678``, ``abcdefgh``) and keyboard walks (``qwertyui``), and estimates
how many guesses a password needs. A password estimated at fewer than a million
guesses (zxcvbn score 0 or 1) is refused, with the reason of its weakest part. The
account's own e-mail, phone and name count as known words.

Example::

    weakness("12345678")        # "this password is one of the most common passwords"
    weakness("quanzi-demo")     # None
"""

from collections.abc import Iterable, Mapping

from zxcvbn import zxcvbn

MIN_SCORE = 2  # zxcvbn: 0 < 10^3 guesses, 1 < 10^6, 2 < 10^8, 3 < 10^10, 4 more

COMMON = "this password is one of the most common passwords"
REPEATED = "this password repeats one character or a short pattern"
SEQUENCE = "this password is a sequence such as 12345678 or abcdefgh"
KEYBOARD = "this password is a row of neighbouring keys such as qwertyui"
PERSONAL = "this password is made of your own e-mail, phone number or name"
WORD = "this password is a common word, name or date"
GUESSABLE = "this password is too easy to guess"
REASONS = (COMMON, REPEATED, SEQUENCE, KEYBOARD, PERSONAL, WORD, GUESSABLE)


def _reason(match: Mapping[str, object]) -> str:
    pattern = match.get("pattern")
    if pattern == "dictionary":
        return {"passwords": COMMON, "user_inputs": PERSONAL}.get(
            str(match.get("dictionary_name", "")), WORD)
    return {"repeat": REPEATED, "sequence": SEQUENCE, "spatial": KEYBOARD,
            "date": WORD, "regex": WORD}.get(str(pattern), GUESSABLE)


def weakness(password: str, known: Iterable[str | None] = ()) -> str | None:
    """Why ``password`` is too easy to guess, or None when it is not. ``known`` are words
    of the account itself (e-mail, phone, name)."""
    if len(set(password)) <= 1:
        return REPEATED
    result = zxcvbn(password, user_inputs=[word for word in known if word])
    if result["score"] >= MIN_SCORE:
        return None
    # read as plain mappings: the stubs' match type leaves out zxcvbn's "bruteforce" gaps
    sequence: list[Mapping[str, object]] = list(result["sequence"])
    guessable = [m for m in sequence if m.get("pattern") != "bruteforce"]
    if not guessable:
        return GUESSABLE
    longest = max(guessable, key=lambda m: len(str(m.get("token", ""))))
    return _reason(longest)
