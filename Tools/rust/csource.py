"""Scanning C source: what `Tools/rust review` pairs (the function
definitions of a C twin) and what the drift check compares (the
definitions `Tools/rust/mirrors.json` names) are found the same way, on
the text with its comments, literals and preprocessor lines blanked."""

import re

_IDENT = re.compile(r"[A-Za-z_]\w*")
_C_KEYWORDS = {"if", "while", "for", "switch", "return", "sizeof"}
# `extern "C" {` once its string is masked.
_EXTERN_C = re.compile(r"\bextern\s*\Z")


def mask_c(text, directives=True):
    """`text` with comments, string and character literals and (unless
    `directives` is false) preprocessor lines blanked (same length,
    newlines kept)."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in " \t":
            i += 1
            continue
        if line_start and c == "#" and directives:
            j = i
            while j < n and not (text[j] == "\n" and text[j - 1] != "\\"):
                if text[j] == "/" and text[j + 1:j + 2] == "*":
                    k = text.find("*/", j + 2)
                    k = n if k < 0 else k + 2
                    for m in range(j, k):
                        if out[m] != "\n":
                            out[m] = " "
                    j = k
                    continue
                if out[j] != "\n":
                    out[j] = " "
                j += 1
            i = j
            continue
        line_start = c == "\n"
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j += 1
        else:
            i += 1
            continue
        for m in range(i, min(j, n)):
            if out[m] != "\n":
                out[m] = " "
        i = j
    return "".join(out)


def match_forward(masked, i, open_c, close_c):
    """Index of the bracket closing the one at `i` (masked text)."""
    depth = 0
    for j in range(i, len(masked)):
        if masked[j] == open_c:
            depth += 1
        elif masked[j] == close_c:
            depth -= 1
            if depth == 0:
                return j
    return len(masked) - 1


def match_backward(masked, i, open_c, close_c):
    """Index of the bracket opening the one at `i` (masked text), or -1."""
    depth = 0
    for j in range(i, -1, -1):
        if masked[j] == close_c:
            depth += 1
        elif masked[j] == open_c:
            depth -= 1
            if depth == 0:
                return j
    return -1


def c_functions(text, masked=None):
    """[(name, start, end)] of the function definitions of a C source (or
    header: the body of an `extern "C" {` block is looked into)."""
    if masked is None:
        masked = mask_c(text)
    out = []
    depth = 0
    last_top = 0        # just after the last top-level ';' or '}'
    i = 0
    while i < len(masked):
        c = masked[i]
        if c == "{" and depth == 0:
            j = i - 1
            while j >= 0 and masked[j].isspace():
                j -= 1
            if _EXTERN_C.search(masked, last_top, i):
                # extern "C" { ... }: its body is at file level.
                i += 1
                last_top = i
                continue
            end = match_forward(masked, i, "{", "}")
            if j >= 0 and masked[j] == ")":
                # the '(' of the parameter list
                k = match_backward(masked, j, "(", ")")
                m = k - 1
                while m >= 0 and masked[m].isspace():
                    m -= 1
                e = m + 1
                while m >= 0 and (masked[m].isalnum() or masked[m] == "_"):
                    m -= 1
                name = masked[m + 1:e]
                if _IDENT.fullmatch(name) and name not in _C_KEYWORDS:
                    start = last_top
                    while start < len(text) and text[start].isspace():
                        start += 1
                    # leading comments and blank lines belong to no one:
                    # start at the line of the first code token
                    s = start
                    while s < m and masked[s].isspace():
                        s += 1
                    start = text.rfind("\n", 0, s) + 1
                    out.append((name, start, end + 1))
            i = end + 1
            last_top = i
            continue
        if c in ";}" and depth == 0:
            last_top = i + 1
        elif c == "\n" and masked[last_top:i].strip() == "":
            last_top = i + 1
        i += 1
    return out
