"""An HTML rendering of docs/vocabulary.md, for people who read the vocabulary in a browser.

The Markdown is our own generated text, so this renders only the subset docs.py writes (headings
with anchors, paragraphs, one code block, a numbered list, tables, `code`, *emphasis* and links)
instead of pulling in a Markdown library. Everything else is escaped, never passed through.
"""

from __future__ import annotations

import html
import re

HEADING_ANCHOR = re.compile(r'\s*<a id="([a-z0-9-]+)"></a>\s*$')
INLINE = re.compile(r"`([^`]+)`|\*([^*]+)\*|\[([^\]]+)\]\((#[a-z0-9-]+)\)")

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The Stafett vocabulary</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 80rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; }}
table {{ border-collapse: collapse; font-size: .9rem; margin: 1rem 0; }}
th, td {{ border: 1px solid #ccc; padding: .3rem .5rem; vertical-align: top; text-align: left; }}
th {{ background: #f3f3f3; }}
pre {{ background: #f6f6f6; padding: 1rem; overflow-x: auto; }}
code {{ font-size: .9em; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""


def inline(text: str) -> str:
    """Escape text, then turn `code`, *emphasis* and [links](#anchor) into HTML."""
    out, last = [], 0
    for match in INLINE.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        code, emphasis, label, href = match.groups()
        if code is not None:
            out.append(f"<code>{html.escape(code)}</code>")
        elif emphasis is not None:
            out.append(f"<em>{html.escape(emphasis)}</em>")
        else:
            out.append(f'<a href="{html.escape(href)}">{html.escape(label)}</a>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def heading(line: str) -> str:
    level = len(line) - len(line.lstrip("#"))
    text = line[level:].strip()
    anchor = HEADING_ANCHOR.search(text)
    ident = f' id="{anchor.group(1)}"' if anchor else ""
    if anchor:
        text = text[: anchor.start()]
    return f"<h{level}{ident}>{inline(text)}</h{level}>"


def table(rows: list[str]) -> str:
    cells = [[c.strip() for c in row.strip().strip("|").split(" | ")] for row in rows]
    head, body = cells[0], cells[2:]  # cells[1] is the |---| rule
    parts = ["<table>", "<tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr>"]
    parts += ["<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in body]
    return "\n".join([*parts, "</table>"])


def blocks(text: str):
    """Split the Markdown into blocks: (kind, lines)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            end = lines.index("```", i + 1)
            yield "code", lines[i + 1 : end]
            i = end + 1
            continue
        if line.startswith("<!--"):
            while "-->" not in lines[i]:
                i += 1
            i += 1
            continue
        start = i
        while i < len(lines) and lines[i].strip() and not lines[i].startswith("```"):
            i += 1
        if start == i:
            i += 1
            continue
        chunk = lines[start:i]
        kind = (
            "heading"
            if chunk[0].startswith("#")
            else "table"
            if chunk[0].startswith("|")
            else "list"
            if re.match(r"\d+\. ", chunk[0])
            else "para"
        )
        yield kind, chunk


def render_html(markdown: str) -> str:
    body = []
    for kind, chunk in blocks(markdown):
        if kind == "code":
            body.append("<pre><code>" + html.escape("\n".join(chunk)) + "</code></pre>")
        elif kind == "heading":
            body.extend(heading(line) for line in chunk)
        elif kind == "table":
            body.append(table(chunk))
        elif kind == "list":
            items: list[str] = []
            current: list[str] = []
            for line in chunk:
                if re.match(r"\d+\. ", line) and current:
                    items.append(" ".join(current))
                    current = []
                current.append(re.sub(r"^\d+\. ", "", line).strip())
            items.append(" ".join(current))
            body.append("<ol>" + "".join(f"<li>{inline(item)}</li>" for item in items) + "</ol>")
        else:
            body.append("<p>" + inline(" ".join(line.strip() for line in chunk)) + "</p>")
    return PAGE.format(body="\n".join(body))
