"""The Markdown of docs/ rendered as man(7) roff, for scripts/gen-manpages.

Only what the docs use: headings, paragraphs, `code`, **bold**, *italic*, links (their text),
fenced code blocks, pipe tables (each row a tagged paragraph: the first cell the tag, the middle
cells "Header: value" lines, the last cell the text), "- " and "1. " lists, and indented blocks
under a list item."""

import re

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_HEADING = re.compile(r"^(#{1,6}) +(.*)$")
_LIST_ITEM = re.compile(r"^(- |\d+\. )")
_TEXT_HEADERS = {"meaning", "what it does", "what", "effect"}


def header(name, section, version, manual):
    # No hyphenation, ragged right: option names and keys stay whole.
    return f'.TH {name} {section} "" "oaiharvest {version}" "{manual}"\n.nh\n.ad l'


def _escape(text):
    return text.replace("\\", "\\e")


def _text(text):
    text = _escape(text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\\fB\1\\fR", text)
    return re.sub(r"(?<![\w*])\*(?! )(.+?)(?<! )\*(?![\w*])", r"\\fI\1\\fR", text)


def inline(text):
    """One line of roff for a line of Markdown; a leading . or ' is made literal."""
    codes = []

    def keep(match):
        code = _escape(match.group(2).strip()).replace("-", "\\-")
        # \: lets a long list in code ({"endpoint","identifier",...}) break after a comma.
        codes.append("\\fB" + code.replace(",", ",\\:") + "\\fR")
        return f"\0{len(codes) - 1}\0"

    # Code spans are set aside first: a * or [ in them is no markup.
    text = _text(_CODE_SPAN.sub(keep, text))
    text = re.sub("\0(\\d+)\0", lambda m: codes[int(m.group(1))], text)
    return "\\&" + text if text.startswith((".", "'")) else text


def paragraph_text(text):
    return inline(" ".join(line.strip() for line in text.splitlines()))


def sections(markdown, level):
    """{title: text} of the headings of this level, in order; "" is the text before the first
    one (the page's title line left out)."""
    result, title, lines, in_code = {}, "", [], False
    for line in markdown.splitlines():
        in_code = in_code != line.startswith("```")
        match = None if in_code else _HEADING.match(line)
        if match and len(match.group(1)) <= level:
            result[title] = "\n".join(lines).strip("\n")
            title = match.group(2).strip() if len(match.group(1)) == level else ""
            lines = []
        else:
            lines.append(line)
    result[title] = "\n".join(lines).strip("\n")
    return result


def _cells(line):
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [cell.strip().replace("\\|", "|") for cell in cells]


def table_rows(markdown):
    for line in markdown.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-:| ]+\|$", line.strip()):
            yield _cells(line)


def first_paragraphs(markdown, count):
    paragraphs = [p for p in re.split(r"\n\s*\n", markdown) if p.strip()]
    paragraphs = [p for p in paragraphs if not p.startswith("#")]
    return "\n\n".join(paragraphs[:count])


def without_option_tables(markdown):
    """The text without its tables whose first column is `option` (rendered from the CLI)."""
    out, skipping = [], False
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not skipping and _cells(line)[0] == "option":
                skipping = True
            if skipping:
                continue
        else:
            skipping = False
        out.append(line)
    return "\n".join(out)


def _table(lines):
    rows = [_cells(line) for line in lines]
    head, body = rows[0], [r for r in rows[1:] if not all(re.match(r"^[-: ]*$", c) for c in r)]
    out = []
    for row in body:
        out.append(".TP\n" + inline(row[0]))
        # Every cell but the first is labelled with its header, but for a last one that is the
        # text ("meaning", "what it does").
        last = len(row) - 1 if head[-1] in _TEXT_HEADERS or len(row) == 2 else len(row)
        lines = [inline(f"{head[i].capitalize()}: {row[i]}") for i in range(1, last) if row[i]]
        out.append("\n.br\n".join(lines + [inline(cell) for cell in row[last:] if cell]))
    return out


def _code(lines):
    body = []
    for line in lines:
        line = _escape(line).replace("-", "\\-")
        body.append("\\&" + line if line.startswith((".", "'")) else line)
    return [".PP\n.RS 4\n.nf", *body, ".fi\n.RE"]


def render(markdown, subheading=".SS"):
    """The roff of a Markdown text; its headings become `subheading`s (or bold lines)."""
    lines = markdown.splitlines()
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")),
                       len(lines))
            out += _code(lines[i + 1:end])
            i = end + 1
        elif line.startswith("  "):
            end = i
            while end < len(lines) and (lines[end].startswith("  ") or not lines[end].strip()):
                end += 1
            block = [l[2:] if l.startswith("  ") else l for l in lines[i:end]]
            out += [".RS 3", render("\n".join(block), subheading), ".RE"]
            i = end
        elif _HEADING.match(line):
            title = _HEADING.match(line).group(2)
            if subheading == ".SS":
                out.append('.SS "' + inline(title).replace('"', "") + '"')
            else:
                out.append(".PP\n.B " + inline(title))
            i += 1
        elif line.startswith("|"):
            end = i
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            out += _table(lines[i:end])
            i = end
        else:
            item = _LIST_ITEM.match(line)
            text = [line[item.end():] if item else line]
            i += 1
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
                text.append(lines[i])
                i += 1
            if item:
                mark = "\\(bu" if item.group(1) == "- " else item.group(1).strip()
                out.append(f".IP {mark} 4\n" + paragraph_text("\n".join(text)))
            else:
                out.append(".PP\n" + paragraph_text("\n".join(text)))
    return "\n".join(out)


def _starts_block(line):
    return bool(line.startswith(("```", "|", "#")) or _LIST_ITEM.match(line))
