"""Render math as MathML at build time, so pages need no JavaScript for formulas.

Every current browser renders MathML Core. docutils ships a LaTeX→MathML
converter (``docutils.utils.math.latex2mathml``); this registers it as Sphinx's
HTML math renderer (``html_math_renderer = "mathml"``). A formula the converter
cannot read is a build warning at its source line (an error under ``-W``), and
the TeX is shown as code, never silently dropped.

The MathML is XML-safe: docutils writes some characters as HTML named entities
(``&ApplyFunction;`` after ``\\sin``), which HTML parses but XHTML (the EPUB) cannot;
they become numeric character references (``&#8289;``), which both parse. And
``displaystyle``/``scriptlevel`` move from elements where only MathML Core allows them
(``<mfrac displaystyle="true">`` of ``\\dfrac``) to an ``<mstyle>`` around them, where
MathML 3 (the EPUB's schema, which epubcheck applies) allows them too; browsers draw both alike.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.entities import html5

from docutils import nodes
from docutils.utils.math import MathError, latex2mathml
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})  # the only named entities XML knows
NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


def xml_safe(markup: str) -> str:
    """HTML named entities as numeric character references (XML's own five stay)."""
    def numeric(match: re.Match) -> str:
        name = match.group(1)
        if name in XML_ENTITIES or name + ";" not in html5:
            return match.group(0)
        return "".join(f"&#{ord(char)};" for char in html5[name + ";"])

    return NAMED_ENTITY.sub(numeric, markup)


MATHML_NS = "http://www.w3.org/1998/Math/MathML"
STYLE_ATTRIBUTES = ("displaystyle", "scriptlevel")
STYLE_HOLDERS = frozenset({"math", "mstyle", "mtable"})  # where MathML 3 allows them


def mathml3_styles(markup: str) -> str:
    """Each element's displaystyle/scriptlevel moved to an <mstyle> wrapped around it."""
    if not re.search(r"<(?!math\b|mstyle\b|mtable\b)\w+ [^>]*\b(?:displaystyle|scriptlevel)=", markup):
        return markup
    ET.register_namespace("", MATHML_NS)
    root = ET.fromstring(markup)
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag.rsplit("}", 1)[-1] in STYLE_HOLDERS:
                continue
            moved = {name: child.attrib.pop(name) for name in STYLE_ATTRIBUTES if name in child.attrib}
            if moved:
                style = ET.Element(f"{{{MATHML_NS}}}mstyle", moved)
                style.tail, child.tail = child.tail, None
                parent.remove(child)
                style.append(child)
                parent.insert(index, style)
    return xml_safe(ET.tostring(root, encoding="unicode", short_empty_elements=False))


def to_mathml(translator, source: str, node: nodes.Element, *, block: bool) -> str:
    """`source` (all of `node`'s TeX, or one equation of a block) as MathML; warns at `node`."""
    tex = source
    if block and r"\\" in tex and r"\begin" not in tex:
        tex = r"\begin{aligned}" + tex + r"\end{aligned}"  # the split/aligned form MathJax would use
    try:
        return mathml3_styles(xml_safe(latex2mathml.tex2mathml(tex, as_block=block)))
    except MathError as error:
        logger.warning("formula cannot be written as MathML (%s): %s", error, source,
                       location=node, type="mathml", subtype="unsupported")
        return translator.encode(source)


def visit_inline(translator, node: nodes.math) -> None:
    translator.body.append(translator.starttag(node, "span", "", CLASS="math"))
    translator.body.append(to_mathml(translator, node.astext(), node, block=False) + "</span>")
    raise nodes.SkipNode


def visit_block(translator, node: nodes.math_block) -> None:
    translator.body.append(translator.starttag(node, "div", CLASS="math"))
    if node["number"]:
        number = get_node_equation_number(translator, node)
        translator.body.append(f'<span class="eqno">({number})')
        translator.add_permalink_ref(node, _("Link to this equation"))
        translator.body.append("</span>")
    for equation in (part for part in node.astext().split("\n\n") if part.strip()):
        translator.body.append(to_mathml(translator, equation, node, block=True))
    translator.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_inline, None), (visit_block, None))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
