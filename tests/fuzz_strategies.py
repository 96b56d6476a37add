"""Hypothesis strategies for the fuzz tests (tests/test_fuzz.py): bad input.

Values are what a hostile or broken client can put in a request: empty and
1 MB values, NUL and other control characters, lone surrogates (which reach
the server as bytes that are not UTF-8), right-to-left marks, combining
characters, emoji, HTML and script, SQL-looking text, numbers where text is
expected and text where numbers are, JSON where a form is expected, deeply
nested JSON, and bodies that are not UTF-8 at all.

`STATS` counts what really ran; tests/conftest.py prints it at the end.
"""

import json
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

# Examples run, by endpoint and by response status (see tests/conftest.py).
STATS: Counter = Counter()

MEGABYTE = 1_000_000

# Bad values by kind; each kind is drawn as often as the others, so that the
# few control characters are not lost among the many numbers.
NASTY = {
    "empty and blank": ["", " ", "\t\r\n", "\u200b\u200c\u200d\u2060", "\ufeff"],
    "control characters": [
        "\x00",
        "a\x00b",
        "Moss\x00",
        "\x01\x02\x07\x08\x1b[31m\x7f",
        "\u0085\u2028\u2029",
        "\r",
    ],
    # Lone surrogates: bytes that are not UTF-8 in a form, a "\ud800" escape
    # in JSON.
    "lone surrogates": ["\ud800", "a\udfffb", "\udc80\ud800"],
    "unicode": [
        "\u202etxt.exe",
        "\u200f\u202bمرحبا\u202c",
        "e\u0301\u0301\u0301\u0301",
        "Z\u0338\u0322\u031b\u0317a\u0337l\u0334g\u0335o\u0336",
        "🎉",
        "👩\u200d👩\u200d👧\u200d👦🏳️\u200d🌈",
        "\U0010ffff\ufffe\uffff",
        "Ærlig øl på Åsgårdstrand",
    ],
    "markup": [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(document.cookie)",
        "<!--",
        "]]>",
        "{{ request.user }}{% debug %}",
        "%(name)s %s %d",
        "[x](javascript:alert(1)) ![](http://evil.example/x.png)",
        "=cmd|' /C calc'!A0",
    ],
    "sql": [
        "' OR '1'='1' --",
        "1; DROP TABLE strategy_section; --",
        "Robert'); DELETE FROM auth_user; --",
        "1 UNION SELECT password FROM auth_user",
        "../../../../etc/passwd",
    ],
    "numbers": [
        "-1",
        "0",
        "1",
        "2",
        "-0",
        "1.5",
        "1e309",
        "NaN",
        "Infinity",
        "99999999999999999999999",
        str(2**31),
        str(2**63),
        str(-(2**63) - 1),
        "9" * 5000,
        "٣",  # an Arabic-Indic digit: int() accepts it
        "１２",  # full-width digits
        "1_000",
    ],
    "other types": ["true", "null", "[]", "{}", '{"a": [1, 2]}', "[1, 2]"],
    "dates": ["2025-02-30", "9999-12-31", "0001-01-01", "31.12.2025", "2025-W15"],
    "huge": [
        "[" * 100_000,
        "x" * MEGABYTE,
        "é" * (MEGABYTE // 2),
        "<b>" * (MEGABYTE // 3),
        "\n" * MEGABYTE,
        "a\u0301" * (MEGABYTE // 3),
        "> " * (MEGABYTE // 2),
        "- " * 100_000 + "x",
    ],
}
NASTY_STRINGS = [value for values in NASTY.values() for value in values]

RAW_BYTES = [
    b"\xff\xfe",
    b"\x80",
    b"\xc0\x80",  # an overlong NUL
    b"\xed\xa0\x80",  # a UTF-8-encoded lone surrogate
    b"\xf4\x90\x80\x80",  # past U+10FFFF
    b"caf\xe9",  # Latin-1
]

# Every code point, surrogates included (they are sent as the bytes of the
# surrogate, which are not valid UTF-8, or as a \ud800 escape in JSON).
any_char = st.characters(codec=None, exclude_categories=())

nasty = st.sampled_from(list(NASTY.values())).flatmap(st.sampled_from)
text = st.one_of(
    nasty,
    nasty,
    st.text(any_char, max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

# What a form field can carry: text (encoded as UTF-8, surrogates as they come)
# or raw bytes that are not UTF-8.
form_value = st.one_of(text, text, st.sampled_from(RAW_BYTES), st.binary(max_size=20))


def _as_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogatepass")


# Appended to a valid value, so that the rest of the form's checks pass.
POISON = [
    "\x00",
    "\x00",
    "\ud800",
    "\u202e",
    "\x1b[0m",
    "\r\n",
    "<script>alert(1)</script>",
    "'--",
    "\u0301",
    "🎉",
    "0" * 25,
]


@dataclass(frozen=True)
class Field:
    """What one form field may carry.

    `valid`: values the form accepts; None sends no field at all, a tuple sends
    the key once per item (a multiple choice). `odd`: well-formed values the
    form or the service should refuse (an unknown choice, a stale version,
    another object's id).
    """

    valid: tuple
    odd: tuple = ()


def field(*valid, odd=()) -> Field:
    return Field(valid=tuple(valid), odd=tuple(odd))


def _sent(value) -> list:
    """The values a Field value sends: none, one, or one per item."""
    if value is None:
        return []
    if isinstance(value, tuple):
        return [str(item) for item in value]
    return [value if isinstance(value, str | bytes) else str(value)]


def _bad_values(spec: Field):
    """A bad field: a bad value, a valid one with something bad appended, an
    odd one, or the key absent or repeated (the same key twice)."""
    valid = [v for value in spec.valid for v in _sent(value)] or [""]
    poisoned = st.tuples(st.sampled_from(valid), st.sampled_from(POISON)).map("".join)
    options = [
        form_value.map(lambda v: [v]),
        poisoned.map(lambda v: [v]),
        st.lists(st.one_of(st.sampled_from(valid), form_value, poisoned), max_size=3),
    ]
    if spec.odd:
        options.append(st.sampled_from(spec.odd).map(_sent))
    return st.one_of(*options)


@st.composite
def form_body(draw, fields: dict):
    """A POST body: (content type, bytes) for the fields, in one of several forms.

    `fields` maps a field name to its Field. A third of the bodies are valid
    (they reach the services), a third have one to three bad fields, a third
    only bad ones.
    """
    names = sorted(fields)
    mode = draw(st.sampled_from(["valid", "some bad", "all bad"]))
    if mode == "valid" or not names:
        bad = set()
    elif mode == "some bad":
        bad = draw(st.sets(st.sampled_from(names), min_size=1, max_size=3))
    else:
        bad = set(names)
    pairs = []
    for name, spec in fields.items():
        if name in bad:
            values = draw(_bad_values(spec))
        else:
            values = _sent(draw(st.sampled_from(spec.valid)))
        pairs += [(name, value) for value in values]
    if mode != "valid":
        pairs += draw(st.lists(st.tuples(text, form_value), max_size=2))
        pairs = draw(st.permutations(pairs))
    encoding = draw(
        st.sampled_from(["urlencoded"] * 4 + ["multipart"] * 2 + ["json", "garbage"])
    )
    if mode == "valid":
        encoding = draw(st.sampled_from(["urlencoded", "multipart"]))
    if encoding == "urlencoded":
        body = "&".join(
            f"{quote_from_bytes(_as_bytes(k))}={quote_from_bytes(_as_bytes(v))}"
            for k, v in pairs
        ).encode("ascii")
        return "application/x-www-form-urlencoded", body
    if encoding == "multipart":
        boundary = "fuzzboundaryAaB03x"
        parts = []
        for name, value in pairs:
            disposition = (
                f"Content-Disposition: form-data; "
                f'name="{quote_from_bytes(_as_bytes(name))}"'
            )
            parts.append(
                f"--{boundary}\r\n{disposition}\r\n\r\n".encode() + _as_bytes(value)
            )
        body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
        return f"multipart/form-data; boundary={boundary}", body
    if encoding == "json":
        payload = {
            _as_bytes(k).decode("utf-8", "replace"): _as_bytes(v).decode(
                "utf-8", "replace"
            )
            for k, v in pairs
        }
        return "application/json", json.dumps(payload).encode()
    # Bytes that are no valid form body at all.
    return "application/x-www-form-urlencoded", draw(
        st.one_of(st.binary(max_size=200), st.sampled_from(RAW_BYTES))
    )


@st.composite
def query_string(draw, fields: dict) -> str:
    """A GET query for these fields: valid values, odd ones and bad text, in
    any order, sometimes with a field twice or one nobody asked for."""
    pairs = []
    for name, spec in fields.items():
        options = [st.sampled_from(spec.valid).map(_sent), _bad_values(spec)]
        pairs += [(name, value) for value in draw(st.one_of(*options))]
    pairs += draw(st.lists(st.tuples(text, form_value), max_size=2))
    pairs = draw(st.permutations(pairs))
    return "&".join(
        f"{quote_from_bytes(_as_bytes(k))}={quote_from_bytes(_as_bytes(v))}"
        for k, v in pairs
    )


json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
)
json_value = st.recursive(
    json_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(text, children, max_size=4),
    ),
    max_leaves=12,
)


def answer_payload(*, versions, slot_count: int):
    """An autosave's JSON: mostly shaped like the script's, often not."""
    slot = st.one_of(
        st.fixed_dictionaries({}, optional={"text": text, "why": text}),
        st.fixed_dictionaries({"text": json_value, "why": json_value}),
        json_value,
    )
    content = st.one_of(
        st.lists(slot, min_size=slot_count, max_size=slot_count),
        st.lists(slot, max_size=slot_count + 3),
        json_value,
    )
    version = st.one_of(versions, json_value)
    shaped = st.lists(
        st.fixed_dictionaries({"text": text, "why": text}),
        min_size=slot_count,
        max_size=slot_count,
    )
    return st.one_of(
        # The script's shape with bad text: what reaches the save and the pages.
        st.fixed_dictionaries({"content": shaped, "version": versions}),
        st.fixed_dictionaries({"content": content, "version": versions}),
        st.fixed_dictionaries(
            {}, optional={"content": content, "version": version, "base": content}
        ),
        json_value,
    )


@st.composite
def json_body(draw, payload):
    """(content type, bytes): the payload as JSON, or something that is not."""
    kind = draw(st.sampled_from(["json", "json", "json", "broken"]))
    if kind == "json":
        # allow_nan: Python's json sends NaN and Infinity, which JSON forbids.
        body = json.dumps(draw(payload)).encode()
        content_type = draw(
            st.sampled_from(["application/json", "text/plain", "application/xml"])
        )
        return content_type, body
    return "application/json", draw(
        st.one_of(
            st.sampled_from(
                [
                    b"",
                    b"{",
                    b'{"content": [',
                    b"[" * 100_000 + b"]" * 100_000,
                    b'{"content": "' + b"x" * 3 * MEGABYTE + b'"}',
                    b"\xff\xfe{\x00}",
                    b'{"version": 1e999999}',
                    b'{"version": ' + b"9" * 5000 + b"}",
                ]
            ),
            st.binary(max_size=200),
            st.sampled_from(RAW_BYTES),
        )
    )
