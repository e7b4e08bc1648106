"""Render math as MathML at build time, so pages need no JavaScript for formulas.

Every current browser renders MathML Core. docutils ships a LaTeX→MathML
converter (``docutils.utils.math.latex2mathml``); this registers it as Sphinx's
HTML math renderer (``html_math_renderer = "mathml"``). A formula the converter
cannot read is a build warning at its source line (an error under ``-W``), and
the TeX is shown as code, never silently dropped.
"""

from __future__ import annotations

from docutils import nodes
from docutils.utils.math import MathError, latex2mathml
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)


def to_mathml(translator, source: str, node: nodes.Element, *, block: bool) -> str:
    """`source` (all of `node`'s TeX, or one equation of a block) as MathML; warns at `node`."""
    tex = source
    if block and r"\\" in tex and r"\begin" not in tex:
        tex = r"\begin{aligned}" + tex + r"\end{aligned}"  # the split/aligned form MathJax would use
    try:
        return latex2mathml.tex2mathml(tex, as_block=block)
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
