"""Server groups as the API sees them: create within quota, list, show, delete.

Members are added when servers are created with the scheduler hint ``group``
(nova.compute.api.API.create); deleted instances drop out of the member lists.
"""

from nova import exception
from nova import objects
from nova.compute import api as compute_api
from nova.compute import quota


class ServerGroupAPI:

    def create(self, context, name, policy, rules=None):
        quota.check_server_groups(context)
        group = objects.InstanceGroup(context, name=name, policy=policy,
                                      rules={k: str(v) for k, v in (rules or {}).items()},
                                      project_id=context.project_id,
                                      user_id=context.user_id, members=[])
        group.create()
        # Two concurrent creates may both have passed the check: count again.
        try:
            quota.check_server_groups(context, delta=0)
        except exception.ServerGroupLimitExceeded:
            group.destroy()
            raise
        return group

    def get(self, context, group_uuid):
        """The group (InstanceGroupNotFound for another project's, unless admin)."""
        group = objects.InstanceGroup.get_by_uuid(context, group_uuid)
        if not context.is_admin and group.project_id != context.project_id:
            raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
        group.members = compute_api.live_group_members(context, group)
        return group

    def get_all(self, context, all_projects=False, limit=None, offset=0):
        project_id = None if all_projects else context.project_id
        groups = list(objects.InstanceGroupList.get_all(context, project_id=project_id))
        groups = groups[offset or 0:]
        if limit is not None:
            groups = groups[:limit]
        for group in groups:
            group.members = compute_api.live_group_members(context, group)
        return groups

    def delete(self, context, group_uuid):
        self.get(context, group_uuid).destroy()
