import { taskEntity } from '../../../../src-shared/entities/work.entity';
import { ACTION_KINDS, type ActionRow, blankAction, updatableFields, type WorkflowDraft } from '../workflow-draft';
import { words } from '../workflow-rules';
import { Choice, Field, useRecordChoices, WorkflowRowList } from './WorkflowField';

/** The editor's "Then": the action rows, each with the form of its kind. */

type Update = (change: (draft: WorkflowDraft) => WorkflowDraft) => void;
type Options = readonly (readonly [string, string])[];

const ACTION_LABELS: Record<string, string> = {
  createTask: 'Create a task',
  assign: 'Assign',
  updateField: 'Update a field',
  addToList: 'Add to a lead list',
  notify: 'Notify',
  webhook: 'Call a webhook',
};

const valuesOf = (values: readonly string[] | undefined): Options => (values ?? []).map((v) => [v, words(v, true)]);

interface Pickers {
  users: Options;
  groups: Options;
  lists: Options;
  integrations: Options;
}

function ActionForm({
  row,
  path,
  kind,
  pickers,
  set,
}: {
  row: ActionRow;
  path: string;
  kind: string;
  pickers: Pickers;
  set: (change: Partial<ActionRow>) => void;
}) {
  switch (row.type) {
    case 'createTask':
      return (
        <>
          <Field label="Task title" path={`${path}.title`} wide>
            {(props) => <input {...props} value={row.title} onChange={(e) => set({ title: e.target.value })} />}
          </Field>
          <Field label="Task type" path={`${path}.taskType`}>
            {(props) => (
              <Choice
                props={props}
                value={row.taskType}
                options={valuesOf(taskEntity.fields.type.values)}
                onChange={(taskType) => set({ taskType })}
              />
            )}
          </Field>
          <Field label="Priority" path={`${path}.priority`}>
            {(props) => (
              <Choice
                props={props}
                value={row.priority}
                options={valuesOf(taskEntity.fields.priority.values)}
                onChange={(priority) => set({ priority })}
              />
            )}
          </Field>
          <Field label="Due in (days)" path={`${path}.dueInDays`}>
            {(props) => (
              <input
                {...props}
                inputMode="numeric"
                value={row.dueInDays}
                placeholder="0"
                onChange={(e) => set({ dueInDays: e.target.value })}
              />
            )}
          </Field>
        </>
      );
    case 'assign':
      return (
        <>
          <Field label="Assign to" path={`${path}.assignTo`}>
            {(props) => (
              <Choice
                props={props}
                value={row.assignTo}
                options={[
                  ['user', 'a user'],
                  ['group', 'a group, in turn (round-robin)'],
                ]}
                onChange={(v) => set({ assignTo: v === 'group' ? 'group' : 'user' })}
              />
            )}
          </Field>
          {row.assignTo === 'user' ? (
            <Field label="User" path={`${path}.userId`}>
              {(props) => (
                <Choice
                  props={props}
                  value={row.userId}
                  empty="choose a user…"
                  options={pickers.users}
                  onChange={(userId) => set({ userId })}
                />
              )}
            </Field>
          ) : (
            <Field label="Group" path={`${path}.groupId`}>
              {(props) => (
                <Choice
                  props={props}
                  value={row.groupId}
                  empty="choose a group…"
                  options={pickers.groups}
                  onChange={(groupId) => set({ groupId })}
                />
              )}
            </Field>
          )}
        </>
      );
    case 'updateField': {
      const fields = updatableFields(kind);
      const spec = fields.find((f) => f.name === row.field)?.spec;
      return (
        <>
          <Field label="Field to set" path={`${path}.field`}>
            {(props) => (
              <Choice
                props={props}
                value={row.field}
                empty="choose a field…"
                options={fields.map((f) => [f.name, f.label] as const)}
                onChange={(field) => set({ field, value: '' })}
              />
            )}
          </Field>
          <Field label="New value" path={`${path}.value`}>
            {(props) =>
              spec?.type === 'enum' || spec?.type === 'boolean' ? (
                <Choice
                  props={props}
                  value={row.value}
                  empty="choose…"
                  options={
                    spec.type === 'boolean'
                      ? [
                          ['true', 'yes'],
                          ['false', 'no'],
                        ]
                      : valuesOf(spec.values)
                  }
                  onChange={(value) => set({ value })}
                />
              ) : (
                <input {...props} value={row.value} onChange={(e) => set({ value: e.target.value })} />
              )
            }
          </Field>
        </>
      );
    }
    case 'addToList':
      return (
        <Field label="Lead list" path={`${path}.listId`}>
          {(props) => (
            <Choice
              props={props}
              value={row.listId}
              empty="choose a list…"
              options={pickers.lists}
              onChange={(listId) => set({ listId })}
            />
          )}
        </Field>
      );
    case 'notify':
      return (
        <>
          <Field label="Message" path={`${path}.message`} wide>
            {(props) => <input {...props} value={row.message} onChange={(e) => set({ message: e.target.value })} />}
          </Field>
          <Field label="Notify" path={`${path}.userId`}>
            {(props) => (
              <Choice
                props={props}
                value={row.userId}
                empty="the record's owner"
                options={pickers.users}
                onChange={(userId) => set({ userId })}
              />
            )}
          </Field>
        </>
      );
    case 'webhook':
      return (
        <>
          <Field label="Send to" path={`${path}.target`}>
            {(props) => (
              <Choice
                props={props}
                value={row.target}
                options={[
                  ['url', 'a URL'],
                  ['integration', 'an integration'],
                ]}
                onChange={(v) => set({ target: v === 'integration' ? 'integration' : 'url' })}
              />
            )}
          </Field>
          {row.target === 'url' ? (
            <Field label="Webhook URL" path={`${path}.url`}>
              {(props) => (
                <input
                  {...props}
                  type="url"
                  value={row.url}
                  placeholder="https://"
                  onChange={(e) => set({ url: e.target.value })}
                />
              )}
            </Field>
          ) : (
            <Field label="Integration" path={`${path}.integrationId`}>
              {(props) => (
                <Choice
                  props={props}
                  value={row.integrationId}
                  empty="choose an integration…"
                  options={pickers.integrations}
                  onChange={(integrationId) => set({ integrationId })}
                />
              )}
            </Field>
          )}
        </>
      );
  }
}

export function ActionRows({ draft, update }: { draft: WorkflowDraft; update: Update }) {
  const pickers: Pickers = {
    users: useRecordChoices('user'),
    groups: useRecordChoices('userGroup'),
    lists: useRecordChoices('leadList'),
    integrations: useRecordChoices('externalIntegration'),
  };
  const setRow = (i: number, change: Partial<ActionRow>) =>
    update((d) => ({ ...d, actions: d.actions.map((r, j) => (j === i ? { ...r, ...change } : r)) }));
  const remove = (i: number) => update((d) => ({ ...d, actions: d.actions.filter((_, j) => j !== i) }));
  const add = () => update((d) => ({ ...d, actions: [...d.actions, blankAction()] }));
  return (
    <WorkflowRowList
      legend="Actions"
      noun="Action"
      rows={draft.actions}
      onAdd={add}
      onRemove={remove}
      renderRow={(row, i) => {
        const path = `actions[${i}]`;
        return (
          <div className="form-grid">
            <Field label="Action" path={`${path}.type`}>
              {(props) => (
                <Choice
                  props={props}
                  value={row.type}
                  options={ACTION_KINDS.map((k) => [k, ACTION_LABELS[k] ?? k] as const)}
                  onChange={(type) => setRow(i, { type: type as ActionRow['type'] })}
                />
              )}
            </Field>
            <ActionForm
              row={row}
              path={path}
              kind={draft.entityKind}
              pickers={pickers}
              set={(change) => setRow(i, change)}
            />
          </div>
        );
      }}
    />
  );
}
