"""Everything that talks to OpenStack; the only package importing openstacksdk.

- ``credentials``: CloudSpec from clouds.yaml, ``OS_*`` or a Rally deployment file
- ``session``: one authenticated connection per user, token renewal off the clock
- ``cloud``: ``OpenStackEnv``, the context item that carries the clouds of a run
- ``tenants``: ``Users``/``Tenant``/``Flavors``, what OpenStack contexts provide
- ``errors``: SDK and keystoneauth errors -> ``CloudError`` (status, request id)
- ``waiters``: status polling with Rally's default intervals and timeouts
- ``naming``: ``squall-<run8>-<rand>`` names and ``squall-run=<id>`` tags
- ``journal``: the resource journal written before every create call
- ``lookup``: image/flavor/network by id, exact name or regex, as Rally does
"""
