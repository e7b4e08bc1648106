extensions = ["myst_parser", "anchor_lock"]
anchor_lock_file = "anchors.lock.json"
