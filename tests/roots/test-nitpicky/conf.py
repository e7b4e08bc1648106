extensions = ["myst_parser"]
nitpicky = True
