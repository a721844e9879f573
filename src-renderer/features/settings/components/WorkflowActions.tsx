import { taskEntity } from '../../../../src-shared/entities/work.entity';
import { ACTION_KINDS, type ActionRow, blankAction, updatableFields, type WorkflowDraft } from '../workflow-draft';
import { words } from '../workflow-rules';
import { Choice, ChoiceField, Field, TextField, useRecordChoices, WorkflowRowList } from './WorkflowField';

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
          <TextField
            label="Task title"
            path={`${path}.title`}
            wide
            value={row.title}
            onChange={(title) => set({ title })}
          />
          <ChoiceField
            label="Task type"
            path={`${path}.taskType`}
            value={row.taskType}
            options={valuesOf(taskEntity.fields.type.values)}
            onChange={(taskType) => set({ taskType })}
          />
          <ChoiceField
            label="Priority"
            path={`${path}.priority`}
            value={row.priority}
            options={valuesOf(taskEntity.fields.priority.values)}
            onChange={(priority) => set({ priority })}
          />
          <TextField
            label="Due in (days)"
            path={`${path}.dueInDays`}
            inputMode="numeric"
            value={row.dueInDays}
            placeholder="0"
            onChange={(dueInDays) => set({ dueInDays })}
          />
        </>
      );
    case 'assign':
      return (
        <>
          <ChoiceField
            label="Assign to"
            path={`${path}.assignTo`}
            value={row.assignTo}
            options={[
              ['user', 'a user'],
              ['group', 'a group, in turn (round-robin)'],
            ]}
            onChange={(v) => set({ assignTo: v === 'group' ? 'group' : 'user' })}
          />
          {row.assignTo === 'user' ? (
            <ChoiceField
              label="User"
              path={`${path}.userId`}
              value={row.userId}
              empty="choose a user…"
              options={pickers.users}
              onChange={(userId) => set({ userId })}
            />
          ) : (
            <ChoiceField
              label="Group"
              path={`${path}.groupId`}
              value={row.groupId}
              empty="choose a group…"
              options={pickers.groups}
              onChange={(groupId) => set({ groupId })}
            />
          )}
        </>
      );
    case 'updateField': {
      const fields = updatableFields(kind);
      const spec = fields.find((f) => f.name === row.field)?.spec;
      return (
        <>
          <ChoiceField
            label="Field to set"
            path={`${path}.field`}
            value={row.field}
            empty="choose a field…"
            options={fields.map((f) => [f.name, f.label] as const)}
            onChange={(field) => set({ field, value: '' })}
          />
          {/* One Field whose input changes with the field's type, so the id and problem stay put. */}
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
        <ChoiceField
          label="Lead list"
          path={`${path}.listId`}
          value={row.listId}
          empty="choose a list…"
          options={pickers.lists}
          onChange={(listId) => set({ listId })}
        />
      );
    case 'notify':
      return (
        <>
          <TextField
            label="Message"
            path={`${path}.message`}
            wide
            value={row.message}
            onChange={(message) => set({ message })}
          />
          <ChoiceField
            label="Notify"
            path={`${path}.userId`}
            value={row.userId}
            empty="the record's owner"
            options={pickers.users}
            onChange={(userId) => set({ userId })}
          />
        </>
      );
    case 'webhook':
      return (
        <>
          <ChoiceField
            label="Send to"
            path={`${path}.target`}
            value={row.target}
            options={[
              ['url', 'a URL'],
              ['integration', 'an integration'],
            ]}
            onChange={(v) => set({ target: v === 'integration' ? 'integration' : 'url' })}
          />
          {row.target === 'url' ? (
            <TextField
              label="Webhook URL"
              path={`${path}.url`}
              type="url"
              value={row.url}
              placeholder="https://"
              onChange={(url) => set({ url })}
            />
          ) : (
            <ChoiceField
              label="Integration"
              path={`${path}.integrationId`}
              value={row.integrationId}
              empty="choose an integration…"
              options={pickers.integrations}
              onChange={(integrationId) => set({ integrationId })}
            />
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
            <ChoiceField
              label="Action"
              path={`${path}.type`}
              value={row.type}
              options={ACTION_KINDS.map((k) => [k, ACTION_LABELS[k] ?? k] as const)}
              onChange={(type) => setRow(i, { type: type as ActionRow['type'] })}
            />
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
