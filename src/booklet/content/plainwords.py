"""Say YAML and schema errors in plain words: what is wrong on this line and what to write.

PyYAML and pydantic speak of tokens, block ends and "instance of Color"; a writer needs
"this line is indented differently from the lines above it". Every pydantic error type the
booklet schemas can raise has an entry in PYDANTIC (a test walks the schemas to keep it so).
"""

from __future__ import annotations

import re
from typing import Any

INDENT_HINT = "indent each level by two spaces, and line up keys of the same level exactly"

# (pattern of PyYAML's problem text, message, hint)
YAML: list[tuple[str, str, str]] = [
    (r"'\\t'", "a tab character: YAML indents with spaces only",
     "replace the tab with spaces: YAML indents with spaces only"),
    (r"expected <block end>, but found '<block mapping start>'",
     "this line is indented differently from the lines above it", INDENT_HINT),
    (r"expected <block end>, but found '<block sequence start>'",
     "this list item is indented differently from the items above it",
     "start every `- item` of one list in the same column"),
    (r"expected <block end>, but found '\?'",
     "a `key: value` line follows a list at the same indentation",
     "indent the list under its key, or start the line with `- `"),
    (r"expected <block end>",
     "this line does not line up with the lines above it", INDENT_HINT),
    (r"mapping values are not allowed here",
     "a colon here starts a `key: value` where YAML did not expect one",
     "if the value contains ': ', put it in quotes (\"…\"); otherwise check that this line "
     "is indented like the keys above it"),
    (r"could not find expected ':'",
     "a line without `key: value` (a missing colon, or text continued without indentation)",
     "write `key: value`, or indent a continued value further than its key"),
    (r"expected ',' or '\]'", "the list opened with [ is never closed with ]",
     "close the list with ], and separate items with ASCII commas (, not ，)"),
    (r"expected ',' or '\}'", "the mapping opened with { is never closed with }",
     "close it with }, and separate entries with ASCII commas (, not ，)"),
    (r"found unexpected end of stream", "a quotation mark opened here is never closed",
     "close the quote on the same value; write \\\" for a quote inside \"…\""),
    (r"found undefined alias", "a value starts with * (YAML reads it as a reference)",
     "put the value in quotes: \"*…\""),
    (r"found character '(.)' that cannot start any token",
     "a value cannot start with {0} in YAML", "put the value in quotes: \"{0}…\""),
    (r"found unknown escape character",
     "a backslash in double quotes starts an escape YAML does not know",
     "write \\\\ for a backslash, or use single quotes"),
    (r"found duplicate anchor|found undefined tag handle|found unhashable key",
     "YAML cannot read this line", "write plain `key: value` lines"),
]


_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*：")


def fullwidth_key(text: str) -> tuple[int, str] | None:
    """Return (0-based line, key) of the first `key：value` written with a full-width colon."""
    for number, line in enumerate(text.splitlines()):
        match = _FULLWIDTH_KEY.match(line)
        if match:
            return number, match.group(1)
    return None


def fullwidth_key_words(key: str) -> tuple[str, str]:
    """Return (message, hint) for a key followed by a full-width colon."""
    return (f"the key '{key}' is followed by a full-width colon （：）, which YAML does not "
            "read as a colon", f"write an ASCII colon and a space: `{key}: …`")


def yaml_words(problem: str, context: str) -> tuple[str, str]:
    """Return (message, hint) in plain words for a PyYAML problem text."""
    text = f"{problem} {context}"
    for pattern, message, hint in YAML:
        match = re.search(pattern, text)
        if match:
            shown = f"'{match.group(1)}'" if match.groups() else ""
            # Plain replacement: the texts quote YAML's own { and } (str.format would choke).
            found = match.group(1) if match.groups() else ""
            return message.replace("{0}", shown), hint.replace("{0}", found)
    return ("YAML cannot read this line",
            "check the indentation, and put values containing ': ', '#' or quotes in quotes")


def _got(err: dict[str, Any]) -> str:
    """Return the given value as the writer wrote it, shortened."""
    value = err.get("input")
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:37] + "…"


def _ctx(err: dict[str, Any], key: str) -> Any:
    """Return one item of a pydantic error's context."""
    return (err.get("ctx") or {}).get(key, "")


# Hints for required keys whose value needs more than "add it".
MISSING: dict[str, str] = {
    "cmyk": "add `cmyk: [C, M, Y, K]`: the colour in percent for the print edition, "
            "e.g. [100, 10, 0, 0]",
    "rgb": "add `rgb: \"#RRGGBB\"`: the colour for the screen edition, e.g. \"#009EDB\"",
    "date": "add `date: YYYY-MM-DD`, the publication date",
}

# type -> (message, hint); both may use {got} and the context of the error.
PYDANTIC: dict[str, tuple[str, str | None]] = {
    "string_type": ("this must be text, not {got}", "write it as text (in quotes if it looks "
                                                    "like a number, date or yes/no)"),
    "string_too_short": ("this is empty", "give a value, or remove the key"),
    "string_too_long": ("this text is too long (at most {max_length} characters)",
                        "shorten it"),
    "string_pattern_mismatch": ("{got} has characters that are not allowed here",
                                "use only ASCII letters, digits and hyphens, e.g. summit-2024"),
    "value_error": ("{msg}", "change the value as described"),
    "assertion_error": ("{msg}", "change the value as described"),
    "int_type": ("this must be a whole number, not {got}", "write a number without quotes, "
                                                          "e.g. 12"),
    "int_parsing": ("{got} is not a whole number", "write a number without quotes, e.g. 12"),
    "int_from_float": ("{got} is not a whole number", "leave out the decimals"),
    "float_type": ("this must be a number, not {got}", "write a number without quotes, "
                                                      "e.g. 227 or 1.75"),
    "float_parsing": ("{got} is not a number", "write a number without quotes, e.g. 227"),
    "finite_number": ("{got} is not a finite number", "write an ordinary number"),
    "bool_type": ("this must be true or false, not {got}", "write true or false"),
    "bool_parsing": ("{got} is not true or false", "write true or false"),
    "greater_than_equal": ("{got} is too small: it must be at least {ge}",
                           "use a value of {ge} or more"),
    "greater_than": ("{got} is too small: it must be more than {gt}", "use a larger value"),
    "less_than_equal": ("{got} is too large: it must be at most {le}",
                        "use a value of {le} or less"),
    "less_than": ("{got} is too large: it must be less than {lt}", "use a smaller value"),
    "literal_error": ("{got} is not one of the choices: {expected}", "use one of: {expected}"),
    "dict_type": ("this must be a group of `key: value` lines, not {got}",
                  "write the keys indented on the lines under it"),
    "model_type": ("this must be a group of `key: value` lines, not {got}",
                   "write the keys indented on the lines under it"),
    "model_attributes_type": ("this must be a group of `key: value` lines, not {got}",
                              "write the keys indented on the lines under it"),
    "list_type": ("this must be a list, not {got}",
                  "write one `- item` per line, or [a, b] with ASCII commas"),
    "tuple_type": ("this must be a list, not {got}", "write the values as [a, b, c]"),
    "too_short": ("this list is too short: it needs at least {min_length} item(s)",
                  "add items"),
    "too_long": ("this list is too long: it takes at most {max_length} item(s)",
                 "remove items"),
    "date_type": ("this must be a date, not {got}", "write the date as YYYY-MM-DD, "
                                                   "e.g. 2024-09-22"),
    "date_parsing": ("{got} is not a date", "write the date as YYYY-MM-DD, e.g. 2024-09-22"),
    "date_from_datetime_inexact": ("{got} has a time of day", "write only the date: "
                                                              "YYYY-MM-DD"),
    "date_from_datetime_parsing": ("{got} is not a date", "write the date as YYYY-MM-DD"),
    "datetime_type": ("this must be a date, not {got}", "write the date as YYYY-MM-DD"),
    "none_required": ("this must be empty", "remove the value"),
    "frozen_instance": ("this value cannot be changed", None),
    "is_instance_of": ("{got} is not the right kind of value", "see the README for this key"),
    "union_tag_invalid": ("{got} is not one of the kinds allowed here",
                          "see the README for this key"),
    "enum": ("{got} is not one of the choices: {expected}", "use one of: {expected}"),
    "int_from_string": ("{got} is a number written as text", "write it without quotes"),
    "float_from_string": ("{got} is a number written as text", "write it without quotes"),
}


def pydantic_words(err: dict[str, Any]) -> tuple[str, str | None]:
    """Return (message, hint) in plain words for one pydantic error."""
    kind = err["type"]
    entry = PYDANTIC.get(kind)
    if entry is None:
        return err["msg"].removeprefix("Value error, "), None
    fields = {"got": _got(err), "msg": err["msg"].removeprefix("Value error, ")
              .removeprefix("Assertion failed, ")}
    fields.update({k: v for k, v in (err.get("ctx") or {}).items() if k != "error"})
    fields.setdefault("expected", _ctx(err, "expected"))
    message, hint = entry
    if kind in ("value_error", "assertion_error") and "\n" in fields["msg"]:
        # A validator that knows the fix gives it after a newline: "what is wrong\nwhat to do".
        return tuple(fields["msg"].split("\n", 1))  # type: ignore[return-value]
    try:
        return message.format(**fields), hint.format(**fields) if hint else None
    except (KeyError, IndexError):
        return err["msg"], hint
