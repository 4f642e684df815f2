"""From an idea in plain Norwegian to candidate provisions: index, ranking, stemming and evaluation."""
