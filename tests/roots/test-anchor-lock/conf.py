extensions = ["myst_parser", "sphinx_reredirects", "anchor_lock"]
anchor_lock_file = "lock-ok.json"  # relative to this folder; tests point it at the other locks
redirects = {}
