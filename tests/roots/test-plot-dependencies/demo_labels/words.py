"""The label the figure prints."""

LABEL = "FIRST-LABEL"
