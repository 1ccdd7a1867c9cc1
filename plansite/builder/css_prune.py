"""A stylesheet cut to the rules that can match: a style rule is dropped when a name one of its
selectors requires (a class, an id, an element, an attribute or an attribute's whole value) is in
none of the site's pages' markup and is no word of any script that runs on them (`Present`).

Conservative by construction: a script counts as adding every class, id, element, attribute and
value it spells out as a word, whatever its code does with it (so Material's search results, its
table wrappers and the classes our own scripts set stay). Text on a page counts for nothing: it
adds no element, so what a page says never changes the stylesheet. Pseudo-classes and pseudo-elements never drop a rule (:hover, :focus,
:checked, ::before … stay with their element), nor does anything inside :not(); :is(), :where() and
:has() drop it only when none of their arguments can match. At-rules other than @media, @supports
and @container (keyframes, @page …) are kept whole; a grouping rule left empty is dropped. Nothing
else changes: the rules kept are written as they were, in the same order.
"""
from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z0-9_-]+")
# Grouping at-rules whose contents are rules like the stylesheet's own.
GROUPING = {"media", "supports", "container", "layer", "scope", "document", "-moz-document"}
# Pseudo-classes whose argument is a list of selectors, one of which must be able to match.
ANY_OF = {"is", "where", "matches", "-webkit-any", "-moz-any", "has"}
NAME = re.compile(r"-?(?:[A-Za-z_]|[^\x00-\x7f]|\\.)(?:[A-Za-z0-9_-]|[^\x00-\x7f]|\\.)*")


# Every byte that is not part of a WORD as a space (UTF-8's multi-byte characters among them).
_NOT_WORD = bytes(c if re.fullmatch(WORD, chr(c)) else 32 for c in range(256))


def words(text: str) -> set[str]:
    """The WORDs of `text` (as WORD.findall, twice as fast on a page)."""
    return {word.decode("ascii") for word in set(text.encode("utf-8", "surrogatepass").translate(_NOT_WORD).split())}


# An attribute value longer than this is not kept for comparing (the print QR codes' SVG paths,
# descriptions): a selector asking for such a long value is kept.
LONG_VALUE = 100


class Present:
    """What can be on a page: the words of its scripts (`scripts`), and from the pages' markup the
    element names (`tags`) and attributes with their values (`attributes`: {name: values}; the
    class attribute's tokens are its classes, the id attribute's values its ids). Element and
    attribute names and attribute values are compared without case (HTML's are case-insensitive),
    classes and ids with it."""

    def __init__(self, scripts: set[str], tags: set[str] = frozenset(), attributes: dict[str, set[str]] | None = None):
        attributes = attributes or {}
        self.words = set(scripts)
        lower = {word.lower() for word in self.words}
        self.classes = self.words | {token for value in attributes.get("class", ()) for token in value.split()}
        self.ids = self.words | set(attributes.get("id", ()))
        self.tags = lower | {tag.lower() for tag in tags}
        self.names = lower | {name.lower() for name in attributes}
        self.script_values = lower
        self.values = {name.lower(): {value.lower() for value in values} for name, values in attributes.items()}


def _skip_string(css: str, i: int) -> int:
    """The index just after the string starting at css[i]."""
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


STRING = r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\''
COMMENT_OR_STRING = re.compile(STRING + r"|/\*.*?(?:\*/|\Z)", re.S)
STRUCTURE = re.compile(STRING + r"|[{};]")


def strip_comments(css: str) -> str:
    return COMMENT_OR_STRING.sub(lambda m: "" if m.group().startswith("/*") else m.group(), css)


def split_rules(css: str) -> list[tuple[str, str | None]]:
    """Top-level (prelude, block) pairs of comment-free CSS; a statement such as @charset or
    @import has block None."""
    items, start, depth, opened = [], 0, 0, 0
    for match in STRUCTURE.finditer(css):
        token = match.group()
        if token == "{":
            if depth == 0:
                opened = match.start()
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                items.append((css[start:opened].strip(), css[opened + 1:match.start()]))
                start = match.end()
        elif token == ";" and depth == 0:
            if css[start:match.start()].strip():
                items.append((css[start:match.start()].strip(), None))
            start = match.end()
    if css[start:].strip():
        items.append((css[start:].strip(), None))
    return items


LIST = re.compile(STRING + r"|[()\[\],]")
DECLARATIONS = re.compile(STRING + r"|[()\[\]{};]")


def _split(text: str, pattern: re.Pattern, separator: str) -> list[str]:
    """`text` split at each `separator` outside strings and brackets."""
    parts, depth, start = [], 0, 0
    for match in pattern.finditer(text):
        token = match.group()
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth -= 1
        elif token == separator and depth == 0:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def split_list(text: str) -> list[str]:
    """A selector list split at its top-level commas (not inside (), [] or strings)."""
    return [part.strip() for part in _split(text, LIST, ",")]


def _close(text: str, i: int, opening: str, closing: str) -> int:
    """The index of the bracket closing the one at text[i]."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        depth += 1 if c == opening else -1 if c == closing else 0
        if depth == 0:
            return i
        i += 1
    raise ValueError(f"unbalanced {opening!r} in selector {text!r}")


def _attribute_possible(inside: str, present: Present) -> bool:
    match = re.fullmatch(r"\s*([^\s~|^$*=]+)\s*(?:([~|^$*]?=)\s*(\"[^\"]*\"|'[^']*'|[^\s\"']+)\s*([iIsS])?)?\s*", inside)
    if not match:
        return True  # namespaces and the like: not worth understanding, kept
    name, operator, value = match.group(1).lower(), match.group(2), match.group(3)
    if name not in present.names:
        return False
    if operator == "=":
        value = value.strip("\"'").lower()
        return (value in present.values.get(name, ()) or len(value) > LONG_VALUE
                or all(word.lower() in present.script_values for word in WORD.findall(value)))
    return True  # a word of a value, its beginning, end or a part: kept


def possible(selector: str, present: Present) -> bool:
    """Whether every name the selector requires is present."""
    if "\\" in selector or "|" in selector.replace("|=", "") or "&" in selector:
        return True  # escapes, namespaces, nesting: kept
    i, n = 0, len(selector)
    while i < n:
        c = selector[i]
        if c in " \t\n>+~*,":
            i += 1
        elif c in ".#":
            match = NAME.match(selector, i + 1)
            if not match:
                return True
            if match.group() not in (present.classes if c == "." else present.ids):
                return False
            i = match.end()
        elif c == "[":
            end = _close(selector, i, "[", "]")
            if not _attribute_possible(selector[i + 1:end], present):
                return False
            i = end + 1
        elif c == ":":
            i += 2 if selector.startswith("::", i) else 1
            match = NAME.match(selector, i)
            if not match:
                return True
            name, i = match.group().lower(), match.end()
            if i < n and selector[i] == "(":
                end = _close(selector, i, "(", ")")
                if name in ANY_OF and not any(possible(arg, present) for arg in split_list(selector[i + 1:end])):
                    return False
                i = end + 1
        else:
            match = NAME.match(selector, i)
            if not match:
                return True  # something unforeseen: kept
            if match.group().lower() not in present.tags:
                return False
            i = match.end()
    return True


def _prune_selectors(prelude: str, present: Present) -> str:
    selectors = split_list(prelude)
    kept = [s for s in selectors if possible(s, present)]
    if kept and len(kept) < len(selectors) and ":-" in prelude:
        # A list holding a browser-specific pseudo-class is invalid in every other browser, as a
        # whole: dropping part of it could make the rest valid where it was not. Kept whole.
        return prelude
    return ",".join(kept)


def _at_name(prelude: str) -> str:
    """The name of an at-rule's prelude, lower-case: media of "@media print"."""
    return re.match(r"@([-\w]+)", prelude).group(1).lower()


def _map_rules(css: str, style_rule) -> str:
    """`css` rebuilt rule by rule: each style rule as `style_rule(prelude, block)` makes it (None
    drops it), the insides of grouping at-rules likewise (one left empty goes), the rest as it is."""
    out = []
    for prelude, block in split_rules(css):
        if block is None:
            out.append(prelude + ";")
        elif prelude.startswith("@"):
            if _at_name(prelude) in GROUPING:
                inner = _map_rules(block, style_rule)
                if inner:
                    out.append(f"{prelude}{{{inner}}}")
            else:
                out.append(f"{prelude}{{{block}}}")
        else:
            rule = style_rule(prelude, block)
            if rule:
                out.append(rule)
    return "".join(out)


def prune(css: str, present: Present) -> str:
    """`css` with the rules that cannot match any page dropped."""
    def keep(prelude: str, block: str) -> str | None:
        kept = _prune_selectors(prelude, present)
        return f"{kept}{{{block}}}" if kept else None

    return _map_rules(strip_comments(css), keep)


# ---- custom properties nothing reads ------------------------------------------------------------

VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
CUSTOM = re.compile(r"\s*(--[A-Za-z0-9_-]+)\s*:")


def split_declarations(block: str) -> list[str]:
    """A declaration block split at its top-level semicolons (not inside strings or brackets)."""
    return [part for part in _split(block, DECLARATIONS, ";") if part.strip()]


def _declarations(css: str):
    """(prelude path, declaration) for every declaration of every style rule, at any depth."""
    for prelude, block in split_rules(css):
        if block is None:
            continue
        if prelude.startswith("@"):
            if _at_name(prelude) in GROUPING:
                yield from _declarations(block)
            continue
        yield from split_declarations(block)


def unread_properties(css: str, readers: str, named: set[str]) -> set[str]:
    """The custom properties `css` declares that nothing reads: no var() in `css` (outside the
    declarations of such properties themselves) or in `readers` (the other stylesheets and the
    pages' style attributes), and not named in `named` (the words of the pages and scripts, which may
    read or set one by name). A property read only by unread ones is unread too."""
    declared: dict[str, list[str]] = {}
    for declaration in _declarations(css):
        match = CUSTOM.match(declaration)
        if match:
            declared.setdefault(match.group(1), []).append(declaration[match.end():])
    base = set(VAR.findall(readers)) | {word for word in named if word.startswith("--")}
    for prelude, block in split_rules(css):  # references from ordinary declarations
        base |= {ref for decl in ([] if block is None else _plain(prelude, block)) for ref in VAR.findall(decl)}
    read, todo = set(), [name for name in declared if name in base]
    while todo:
        name = todo.pop()
        if name in read:
            continue
        read.add(name)
        todo += [ref for value in declared.get(name, []) for ref in VAR.findall(value) if ref not in read]
    return set(declared) - read


def _plain(prelude: str, block: str) -> list[str]:
    if prelude.startswith("@"):
        if _at_name(prelude) in GROUPING:
            return [d for p, b in split_rules(block) if b is not None for d in _plain(p, b)]
        return [block]  # @keyframes, @page …: read whole
    return [d for d in split_declarations(block) if not CUSTOM.match(d)]


def drop_properties(css: str, unread: set[str]) -> str:
    """`css` without the declarations of the custom properties in `unread`; a rule left empty goes."""
    def keep(prelude: str, block: str) -> str | None:
        kept = [d for d in split_declarations(block) if not ((m := CUSTOM.match(d)) and m.group(1) in unread)]
        return f"{prelude}{{{';'.join(kept)}}}" if kept else None

    return _map_rules(css, keep)
