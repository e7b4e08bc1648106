extensions = ["myst_parser", "mathml"]
myst_enable_extensions = ["dollarmath", "amsmath"]
math_number_all = False
