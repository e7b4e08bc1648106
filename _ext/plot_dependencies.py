"""Redraw a figure when its script, or a module the script imports, changes.

matplotlib's plot directive draws a figure from a script while the page is read, but
does not record the script as something the page depends on (matplotlib#12837, closed
as inactive), and redraws only when the script is newer than the image. So after an
edit to examples/figures/x.py, or to an examples module it imports, an incremental
build (and `make serve`) kept showing the old figure. This `plot` directive is
matplotlib's, and also records the script and the site's own modules it imports as
dependencies of the page, and hands those modules to matplotlib's date check the way
it already receives included files (the document's include log). The site's own
packages are the ones page_downloads carries inline (`page_downloads_inline_packages`):
every module the site's code imports from the repository is declared there, or a
page's download would not run on its own.
"""

from __future__ import annotations

import os

from docutils.parsers.rst import directives
from matplotlib.sphinxext.plot_directive import PlotDirective

from page_downloads import inline_modules, module_file


class PlotWithDependencies(PlotDirective):
    def run(self):
        modules = []
        if self.arguments:
            env = self.state.document.settings.env
            config = env.config
            base = os.path.join(env.app.confdir, config.plot_basedir) if config.plot_basedir else env.srcdir
            script = os.path.join(base, directives.uri(self.arguments[0]))
            if os.path.isfile(script):
                env.note_dependency(script)
                with open(script, encoding="utf-8") as file:
                    modules = [str(module_file(name))
                               for name in inline_modules([file.read()], config.page_downloads_inline_packages)]
                for module in modules:
                    env.note_dependency(module)
        log = self.state.document.include_log
        added = [(module, ()) for module in modules]
        log.extend(added)
        try:
            return super().run()
        finally:
            for entry in added:
                log.remove(entry)


def setup(app):
    app.setup_extension("matplotlib.sphinxext.plot_directive")
    app.setup_extension("page_downloads")
    app.add_directive("plot", PlotWithDependencies, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
