import { useCan, useCrm } from '../../../app/crm-context';
import { createCustomField, keyFromLabel, setCustomFieldActive, updateCustomField } from '../custom-fields.service';
import { run } from '../settings-action';
import { SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';

const CREATE = ['entityKind', 'label', 'key', 'fieldType', 'options', 'required', 'description', 'position'];
const EDIT = ['label', 'options', 'required', 'description', 'position'];

/** Custom fields: defined here, they appear at once in the forms, lists and details of their entity. */
export function CustomFieldsSection() {
  const { repos } = useCrm();
  const canUpdate = useCan('customField', 'update');
  return (
    <SettingsTable
      entity="customField"
      tab="fields"
      columns={['label', 'entityKind', 'key', 'fieldType', 'required', 'active']}
      intro="Your organisation's own fields on contacts, companies, leads and deals. They show in forms and lists at once; a deactivated field is hidden and its values kept."
      create={{
        label: 'New custom field',
        fields: CREATE,
        defaults: { entityKind: 'contact', fieldType: 'string' },
        suggest: [{ field: 'key', from: 'label', make: keyFromLabel }],
        save: (values) => createCustomField(repos, values),
      }}
      detail={(id, close) => (
        <SettingsDetail
          entity="customField"
          id={id}
          onClose={close}
          fields={['entityKind', 'key', 'fieldType', ...EDIT.slice(1)]}
          edit={{ fields: EDIT, save: (fieldId, values) => updateCustomField(repos, fieldId, values) }}
          badges={(def) =>
            def.active ? <span className="badge badge-active">Active</span> : <span className="badge">Inactive</span>
          }
          actions={(def) =>
            !canUpdate ? null : def.active ? (
              <button
                type="button"
                onClick={() => void run(() => setCustomFieldActive(repos, id, false), 'field deactivated')}
              >
                Deactivate
              </button>
            ) : (
              <button
                type="button"
                onClick={() => void run(() => setCustomFieldActive(repos, id, true), 'field activated')}
              >
                Activate
              </button>
            )
          }
        />
      )}
    />
  );
}
