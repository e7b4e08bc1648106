"""_ext/eval_rst_document.py: a page with an eval-rst block pickles its own doctree, not the environment."""

import pickle

import pytest
from eval_rst_document import foreign_nodes


class FindClasses(pickle.Unpickler):
    def __init__(self, file):
        super().__init__(file)
        self.classes = set()

    def find_class(self, module, name):
        self.classes.add(f"{module}.{name}")
        return super().find_class(module, name)


def pickled_classes(app, docname):
    with open(app.doctreedir / f"{docname}.doctree", "rb") as file:
        unpickler = FindClasses(file)
        unpickler.load()
    return unpickler.classes


@pytest.mark.sphinx("html", testroot="eval-rst", freshenv=True)
def test_the_pickled_page_holds_no_environment(app):
    app.build()
    assert "sphinx.environment.BuildEnvironment" not in pickled_classes(app, "index")
    assert (app.doctreedir / "index.doctree").stat().st_size < 50_000
    assert not foreign_nodes(app.env.get_doctree("index"))


@pytest.mark.sphinx("html", testroot="eval-rst", freshenv=True, srcdir="eval-rst-upstream",
                    confoverrides={"extensions": ["myst_parser"]})
def test_upstream_still_leaves_the_reference(app):
    """When this fails, myst-parser fixed it: delete _ext/eval_rst_document.py, its test root and this test."""
    app.build()
    assert "sphinx.environment.BuildEnvironment" in pickled_classes(app, "index")
