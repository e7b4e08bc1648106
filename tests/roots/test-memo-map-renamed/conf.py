from pathlib import Path

HERE = Path(__file__).resolve().parent
extensions = ["myst_parser", "memo_map"]
memo_map_source = str(HERE / "items.toml")
