import { useId, useMemo, useState } from 'react';
import { displayName } from '../../../../src-shared/schema/display-name';
import { useCan, useCrm } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { RecordName } from '../../../ui/useRecordName';
import { addGroupMember, removeGroupMember, saveGroup } from '../access.service';
import { run } from '../settings-action';
import { SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';

const FIELDS = ['name', 'description', 'managerId', 'parentGroupId', 'region'];

/** Groups (teams) and their members. */
export function GroupsSection() {
  const { repos } = useCrm();
  return (
    <SettingsTable
      entity="userGroup"
      tab="groups"
      columns={['name', 'region', 'managerId', 'parentGroupId']}
      intro="Teams by region, office or squad. A manager's 'team' scope covers the members of their groups."
      create={{ label: 'New group', fields: FIELDS, save: (values) => saveGroup(repos, undefined, values) }}
      detail={(id, close) => (
        <SettingsDetail
          entity="userGroup"
          id={id}
          onClose={close}
          fields={FIELDS.slice(1)}
          edit={{ fields: FIELDS, save: (groupId, values) => saveGroup(repos, groupId, values) }}
        >
          {(group) => <Members groupId={id} groupName={String(group.name)} />}
        </SettingsDetail>
      )}
    />
  );
}

function Members({ groupId, groupName }: { groupId: string; groupName: string }) {
  const { repos } = useCrm();
  const canAdd = useCan('userGroupMember', 'create');
  const canRemove = useCan('userGroupMember', 'delete');
  const pickId = useId();
  const members = useObservable(() => repos.userGroupMember.observe({ where: { groupId } }), undefined, [
    repos,
    groupId,
  ]);
  const users = useObservable(() => repos.user.observe({ where: { status: 'active' } }), [], [repos]);
  const [pick, setPick] = useState('');
  const [role, setRole] = useState<'member' | 'lead'>('member');
  const candidates = useMemo(() => {
    const inGroup = new Set((members ?? []).map((m) => m.userId));
    return users
      .filter((u) => !inGroup.has(u.id))
      .map((u) => [u.id, displayName(repos.user.entity, u)] as const)
      .sort((a, b) => a[1].localeCompare(b[1]));
  }, [users, members, repos]);
  return (
    <section className="section group-members" aria-label="Members">
      <h3>Members {members ? <span className="muted">({members.length})</span> : null}</h3>
      {members === undefined ? (
        <p className="muted">Loading…</p>
      ) : members.length === 0 ? (
        <p className="muted">No one is in {groupName} yet.</p>
      ) : (
        <ul className="member-list">
          {members.map((m) => (
            <li key={m.id}>
              <span>
                <RecordName entity="user" id={m.userId} />
              </span>
              {m.role === 'lead' && <span className="badge badge-qualified">Lead</span>}
              <span className="spacer" />
              {canRemove && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => void run(() => removeGroupMember(repos, m.id), 'member removed')}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAdd && (
        <form
          className="member-add"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => addGroupMember(repos, groupId, pick, role), 'member added').then((ok) => ok && setPick(''));
          }}
        >
          <label htmlFor={pickId} className="sr-only">
            User to add
          </label>
          <select id={pickId} value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">Add a user…</option>
            {candidates.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
          <select
            aria-label="Role in group"
            value={role}
            onChange={(e) => setRole(e.target.value as 'member' | 'lead')}
          >
            <option value="member">Member</option>
            <option value="lead">Lead</option>
          </select>
          <button type="submit" disabled={pick === ''}>
            Add
          </button>
        </form>
      )}
    </section>
  );
}
