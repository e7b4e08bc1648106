import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # demo_shapes, the project's own module
extensions = ["myst_parser", "sphinx_codeautolink", "codeautolink_memo"]
