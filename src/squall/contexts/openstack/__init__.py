"""OpenStack contexts with Rally's names and arguments, one plugin per module."""
