"""Providers of data-plane instances: ``netns`` (this host) and ``openstack`` (issue 4)."""
