import { useCan, useCrm } from '../../../app/crm-context';
import { inviteUser, setUserStatus, updateUser } from '../access.service';
import { run } from '../settings-action';
import { SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';
import { UserDevices } from './UserDevices';

const EDIT = ['firstName', 'lastName', 'email', 'roleId', 'managerId', 'title', 'phone', 'territory', 'timezone'];

/** Users: invite, edit role and manager, disable and enable; their devices, which administrators can revoke. */
export function UsersSection() {
  const { repos, user } = useCrm();
  const canUpdate = useCan('user', 'update');
  return (
    <SettingsTable
      entity="user"
      tab="users"
      columns={['firstName', 'lastName', 'email', 'roleId', 'status', 'managerId']}
      widths={{ firstName: '1fr', lastName: '1fr', email: '2fr', roleId: '1.1fr', status: '0.8fr', managerId: '1.1fr' }}
      intro="People who sign in. Their role decides what they see and change; their manager's teams see their records."
      create={{
        label: 'Invite user',
        fields: ['email', 'firstName', 'lastName', 'roleId', 'managerId', 'title'],
        save: (values) => inviteUser(repos, values),
      }}
      detail={(id, close) => (
        <SettingsDetail
          entity="user"
          id={id}
          onClose={close}
          fields={[...EDIT.slice(2), 'status', 'lastLoginAt']}
          edit={{ fields: EDIT, save: (userId, values) => updateUser(repos, userId, values) }}
          actions={(record) =>
            !canUpdate ? null : record.status === 'disabled' ? (
              <button
                type="button"
                onClick={() => void run(() => setUserStatus(repos, id, 'active', user.id), 'user enabled')}
              >
                Enable
              </button>
            ) : (
              <button
                type="button"
                className="danger"
                onClick={() => void run(() => setUserStatus(repos, id, 'disabled', user.id), 'user disabled')}
              >
                Disable
              </button>
            )
          }
        >
          {() => <UserDevices userId={id} canRevoke={canUpdate} />}
        </SettingsDetail>
      )}
    />
  );
}
