"""Hosts squall acts on: an inventory (squall YAML or Ansible), transports (local, SSH),
and how targets are chosen among them."""
