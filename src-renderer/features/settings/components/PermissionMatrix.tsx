import { ACTIONS, type Action, SCOPES, type Scope } from '../../../../src-shared/auth/permissions';
import { getEntity } from '../../../../src-shared/entities/registry';
import { cellScope, MATRIX_ENTITIES, type RawPermissions } from '../roles.service';

const SCOPE_TEXT: Record<Scope, string> = { none: 'None', own: 'Own', team: 'Team', all: 'All' };

/** Settings entities (admin-owned) come after the CRM records in the matrix, under their own heading. */
function groups(): [string, string[]][] {
  const crm = MATRIX_ENTITIES.filter((e) => getEntity(e).owner !== 'admin');
  const settings = MATRIX_ENTITIES.filter((e) => getEntity(e).owner === 'admin');
  return [
    ['Records', crm],
    ['Settings', settings],
  ];
}

/**
 * The role's permissions as a matrix: a row per entity, a column per action, a scope in each cell
 * (none, own records, the team's, all). Read-only cells for built-in roles and for users who may
 * not change roles.
 */
export function PermissionMatrix({
  roleName,
  permissions,
  editable,
  onCell,
}: {
  roleName: string;
  permissions: RawPermissions;
  editable: boolean;
  onCell: (entity: string, action: Action, scope: Scope) => void;
}) {
  return (
    <table className="permission-matrix" aria-label={`Permissions of ${roleName}`}>
      <thead>
        <tr>
          <th scope="col">Entity</th>
          {ACTIONS.map((a) => (
            <th key={a} scope="col">
              {a.charAt(0).toUpperCase() + a.slice(1)}
            </th>
          ))}
        </tr>
      </thead>
      {groups().map(([heading, entities]) => (
        <tbody key={heading}>
          <tr className="matrix-group">
            <th scope="rowgroup" colSpan={ACTIONS.length + 1}>
              {heading}
            </th>
          </tr>
          {entities.map((name) => {
            const label = getEntity(name).plural;
            return (
              <tr key={name}>
                <th scope="row">{label}</th>
                {ACTIONS.map((action) => {
                  const scope = cellScope(permissions, name, action);
                  return (
                    <td key={action}>
                      {editable ? (
                        <select
                          className={`scope scope-${scope}`}
                          value={scope}
                          aria-label={`${label}: ${action}`}
                          onChange={(e) => onCell(name, action, e.target.value as Scope)}
                        >
                          {SCOPES.map((s) => (
                            <option key={s} value={s}>
                              {SCOPE_TEXT[s]}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span className={`scope scope-${scope}`} title={`${label}: ${action}`}>
                          {SCOPE_TEXT[scope]}
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
