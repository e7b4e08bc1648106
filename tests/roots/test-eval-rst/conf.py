extensions = ["myst_parser", "eval_rst_document"]
