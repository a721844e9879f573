import { type FormEvent, useId, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useCan, useCrm } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { Dialog } from '../../../ui/Dialog';
import { errorMessage } from '../../../ui/toasts';
import { createRole, deleteRole, duplicateRole, type RawPermissions, setRoleCell, updateRole } from '../roles.service';
import { run } from '../settings-action';
import { PermissionMatrix } from './PermissionMatrix';
import { SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';

/** Roles: the list, and each role's permission matrix (built-in roles read-only; copy them to change). */
export function RolesSection() {
  const { repos } = useCrm();
  return (
    <SettingsTable
      entity="userRole"
      tab="roles"
      columns={['name', 'isSystem', 'description']}
      intro="What each role may read, create, update and delete: none, their own records, their team's, or all."
      create={{
        label: 'New role',
        fields: ['name', 'description'],
        defaults: { permissions: {} },
        save: (values) => createRole(repos, values),
      }}
      detail={(id, close) => <RoleDetail id={id} close={close} />}
    />
  );
}

function RoleDetail({ id, close }: { id: string; close: () => void }) {
  const { repos } = useCrm();
  const canUpdate = useCan('userRole', 'update');
  const canCreate = useCan('userRole', 'create');
  const canDelete = useCan('userRole', 'delete');
  const [copying, setCopying] = useState<string>();
  const go = useNavigation((s) => s.go);
  return (
    <SettingsDetail
      entity="userRole"
      id={id}
      onClose={close}
      fields={['description']}
      edit={{
        fields: ['name', 'description'],
        save: (roleId, values) => updateRole(repos, roleId, values),
        allowed: (role) => role.isSystem !== true,
      }}
      badges={(role) =>
        role.isSystem ? (
          <span
            className="badge badge-built-in"
            title="Built-in roles cannot be changed; duplicate one to edit a copy."
          >
            Built-in · read-only
          </span>
        ) : (
          <span className="badge badge-active">Custom</span>
        )
      }
      actions={(role) => (
        <>
          {canCreate && (
            <button type="button" onClick={() => setCopying(`${String(role.name)} (copy)`)}>
              Duplicate
            </button>
          )}
          {canDelete && !role.isSystem && !role.isDeleted && (
            <button
              type="button"
              className="danger"
              onClick={() => void run(() => deleteRole(repos, id), 'role deleted')}
            >
              Delete
            </button>
          )}
        </>
      )}
    >
      {(role) => (
        <section className="section" aria-label="Permissions">
          <h3>Permissions</h3>
          {role.isSystem === true && (
            <p className="muted settings-note">
              This built-in role is read-only. Duplicate it to make a role you can change.
            </p>
          )}
          <PermissionMatrix
            roleName={String(role.name)}
            permissions={(role.permissions ?? {}) as RawPermissions}
            editable={canUpdate && role.isSystem !== true && role.isDeleted !== true}
            onCell={(entity, action, scope) =>
              void run(
                () => setRoleCell(repos, id, entity, action, scope),
                `${getEntity(entity).plural}: ${action} set to ${scope}`,
              )
            }
          />
          <Dialog title="Duplicate role" open={copying !== undefined} onClose={() => setCopying(undefined)}>
            <DuplicateForm
              initial={copying ?? ''}
              onCancel={() => setCopying(undefined)}
              onSave={async (name) => {
                const copy = await duplicateRole(repos, id, name);
                setCopying(undefined);
                go({ screen: 'settings', tab: 'roles', id: copy.id });
              }}
            />
          </Dialog>
        </section>
      )}
    </SettingsDetail>
  );
}

/** The name of a role's copy; a taken or empty name is said next to the field. */
function DuplicateForm({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (name: string) => Promise<void>;
  onCancel: () => void;
}) {
  const inputId = useId();
  const [name, setName] = useState(initial);
  const [problem, setProblem] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await onSave(name);
    } catch (error) {
      setProblem(
        error instanceof ValidationError
          ? error.problems.map((p) => `Name ${p.problem}`).join('; ')
          : errorMessage(error),
      );
    }
  };
  return (
    <form className="record-form" onSubmit={submit} noValidate aria-label="Duplicate role">
      <div className="form-row">
        <label htmlFor={inputId}>Name of the new role</label>
        <input
          id={inputId}
          value={name}
          maxLength={80}
          aria-invalid={problem !== undefined}
          onChange={(e) => setName(e.target.value)}
        />
        {problem && (
          <span className="field-problem" role="alert">
            {problem}
          </span>
        )}
      </div>
      <div className="form-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Duplicate
        </button>
      </div>
    </form>
  );
}
