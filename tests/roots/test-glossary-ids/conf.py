project = "Glossary ids"
extensions = ["myst_parser", "anchor_lock", "glossary_ids"]
glossary_ids_file = "glossary-ids.toml"
myst_enable_extensions = ["colon_fence"]
