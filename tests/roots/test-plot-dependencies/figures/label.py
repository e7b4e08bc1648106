"""A figure that prints the project's label."""

import matplotlib.pyplot as plt

from demo_labels.words import LABEL

fig, ax = plt.subplots(figsize=(2, 1))
ax.text(0.5, 0.5, LABEL, ha="center")
ax.axis("off")
