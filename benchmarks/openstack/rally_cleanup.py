"""Rally's side of cleanup_500.py; runs in Rally's venv (rally 5.1.1 + rally-openstack).

    python rally_cleanup.py names TASK_ID COUNT    # JSON list of Rally resource names
    python rally_cleanup.py cleanup TASK_ID SPEC   # SPEC: JSON auth_url, username, ...

``names`` makes the names a Rally task with that id gives its resources
(``OpenStackScenario.generate_random_name``). ``cleanup`` runs rally-openstack's
cleanup manager, as Rally's ``cleanup`` context does at the end of a workload, over
the neutron and cinder kinds it creates, in the admin's project, for that task id.
"""

import json
import os
import sys

#: the resource managers of the kinds cleanup_500.py creates (the services' quota
#: managers would need Rally's identity service plugins loaded, and delete nothing here)
MANAGERS = [
    "neutron.port",
    "neutron.router",
    "neutron.subnet",
    "neutron.network",
    "neutron.security_group",
    "cinder.volumes",
]


def names(task_id, count):
    from rally_openstack.task.scenario import OpenStackScenario

    scenario = object.__new__(OpenStackScenario)  # only its name generator is used
    scenario.task = {"uuid": task_id}
    scenario.context = {"owner_id": task_id}
    return [scenario.generate_random_name() for _ in range(count)]


def counted_requests():
    """Count every HTTP request Rally's clients send (all go through keystoneauth)."""
    from keystoneauth1 import session

    calls = {"total": 0}
    original = session.Session.request

    def request(self, url, method, *args, **kwargs):
        calls["total"] += 1
        return original(self, url, method, *args, **kwargs)

    session.Session.request = request
    return calls


def cleanup(task_id, spec):
    from rally.common import opts
    from rally_openstack.common.cfg import opts as openstack_opts

    opts.register()
    opts.register_opts(openstack_opts.list_opts())
    calls = counted_requests()
    from rally_openstack.common.credential import OpenStackCredential
    from rally_openstack.task.cleanup import manager, resources

    assert resources  # importing it registers the resource managers
    from rally_openstack.task.scenario import OpenStackScenario

    credential = OpenStackCredential(
        spec["auth_url"],
        spec["username"],
        spec["password"],
        project_name=spec["project_name"],
        user_domain_name="Default",
        project_domain_name="Default",
        region_name=spec["region_name"],
        permission="admin",
    )
    auth = credential.clients().keystone.auth_ref
    admin = {"credential": credential}
    users = [{"id": auth.user_id, "tenant_id": auth.project_id, "credential": credential}]
    manager.cleanup(
        names=MANAGERS,
        admin=admin,
        users=users,
        superclass=OpenStackScenario,
        task_id=task_id,
    )
    return calls["total"]


if __name__ == "__main__":
    if sys.argv[1] == "names":
        print(json.dumps(names(sys.argv[2], int(sys.argv[3]))))
    else:
        import logging

        logging.basicConfig(level=os.environ.get("RALLY_CLEANUP_LOG", "WARNING"))
        print(json.dumps({"api_calls": cleanup(sys.argv[2], json.loads(sys.argv[3]))}))
