import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blankAction,
  blankDraft,
  buildDefinition,
  conditionFields,
  draftOf,
  opsFor,
  type WorkflowDraft,
} from '../../../../../src-renderer/features/settings/workflow-draft';
import { saveWorkflowDefinition } from '../../../../../src-renderer/features/settings/workflows.service';
import { workflowProblems } from '../../../../../src-shared/automation/workflow-definition';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

const CONTEXT = {
  customFields: [{ key: 'budgetBand', label: 'Budget band', fieldType: 'select', options: ['small', 'large'] }],
  integrations: [{ id: 'int_hook', endpointUrl: 'https://hooks.example.com/crm' }, { id: 'int_mail' }],
};
const paths = (problems: { field: string }[]) => problems.map((p) => p.field).sort();

/** A hot-lead workflow as an administrator fills the form in. */
const HOT: WorkflowDraft = {
  ...blankDraft(),
  name: 'Hot leads',
  entityKind: 'lead',
  trigger: 'scoreCrossed',
  params: { field: 'score', threshold: '70', direction: 'up' },
  conditions: [
    { field: 'source', op: 'in', value: 'website, paidAds' },
    { field: 'customFields.budgetBand', op: 'eq', value: 'large' },
  ],
  actions: [
    { ...blankAction('createTask'), title: 'Call the hot lead', taskType: 'call', dueInDays: '1' },
    { ...blankAction('assign'), assignTo: 'group', groupId: 'g_inbound' },
    { ...blankAction('updateField'), field: 'status', value: 'contacted' },
    { ...blankAction('addToList'), listId: 'll_hot' },
    { ...blankAction('notify'), message: 'A lead turned hot' },
    { ...blankAction('webhook'), target: 'integration', integrationId: 'int_hook' },
  ],
};

describe('the workflow editor’s draft', () => {
  it('builds a definition the shared validation accepts, every action kind included', () => {
    const { definition, problems } = buildDefinition(HOT, CONTEXT);
    expect(problems).toEqual([]);
    expect(workflowProblems({ ...definition, conditions: definition.conditions ?? undefined })).toEqual([]);
    expect(definition).toMatchObject({
      trigger: 'scoreCrossed',
      conditions: {
        trigger: { field: 'score', threshold: 70, direction: 'up' },
        all: [
          { field: 'source', op: 'in', value: ['website', 'paidAds'] },
          { field: 'customFields.budgetBand', op: 'eq', value: 'large' },
        ],
      },
      actions: [
        { type: 'createTask', title: 'Call the hot lead', taskType: 'call', dueInDays: 1 },
        { type: 'assignRoundRobin', groupId: 'g_inbound' },
        { type: 'updateField', field: 'status', value: 'contacted' },
        { type: 'addToList', listId: 'll_hot' },
        { type: 'notify', message: 'A lead turned hot' },
        { type: 'webhook', url: 'https://hooks.example.com/crm', integrationId: 'int_hook' },
      ],
    });
  });

  it('reads back what it wrote (a stored workflow opens in the form as saved)', () => {
    const { definition } = buildDefinition(HOT, CONTEXT);
    const again = buildDefinition(draftOf({ ...definition }), CONTEXT);
    expect(again.definition).toEqual(definition);
  });

  it('names each bad input by its path, as the server would', () => {
    const bad: WorkflowDraft = {
      ...HOT,
      name: ' ',
      params: { field: 'score', threshold: 'hot', direction: 'up' },
      conditions: [{ field: 'source', op: 'eq', value: 'carrierPigeon' }],
      actions: [
        { ...blankAction('createTask'), title: '', dueInDays: 'soon' },
        { ...blankAction('assign'), assignTo: 'user', userId: '' },
        { ...blankAction('webhook'), target: 'url', url: 'ftp://nowhere' },
        { ...blankAction('webhook'), target: 'integration', integrationId: 'int_mail' },
      ],
    };
    expect(paths(buildDefinition(bad, CONTEXT).problems)).toEqual([
      'actions[0].dueInDays',
      'actions[0].title',
      'actions[1].userId',
      'actions[2].url',
      'actions[3].integrationId',
      'conditions.all[0].value',
      'conditions.trigger.threshold',
      'name',
    ]);
  });

  it('requires a date reached trigger’s date field and a whole number of days', () => {
    const draft: WorkflowDraft = {
      ...HOT,
      entityKind: 'deal',
      trigger: 'dateReached',
      params: { dateField: '', offsetDays: '2.5' },
      conditions: [],
      actions: [{ ...blankAction('createTask'), title: 'Prepare' }],
    };
    expect(paths(buildDefinition(draft, CONTEXT).problems)).toEqual([
      'conditions.trigger.dateField',
      'conditions.trigger.offsetDays',
    ]);
    const good = buildDefinition({ ...draft, params: { dateField: 'expectedCloseDate', offsetDays: '-7' } }, CONTEXT);
    expect(good.problems).toEqual([]);
    expect(good.definition.conditions).toEqual({ trigger: { dateField: 'expectedCloseDate', offsetDays: -7 } });
  });

  it('offers the kind’s fields with its custom fields, and the operators of each type', () => {
    const names = conditionFields('lead', CONTEXT.customFields).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['source', 'score', 'customFields.budgetBand']));
    expect(names).not.toContain('scoreRank');
    expect(opsFor({ type: 'integer' })).toContain('gte');
    expect(opsFor({ type: 'datetime' })).toContain('olderThanDays');
    expect(opsFor({ type: 'enum', values: ['a'] })).not.toContain('gt');
  });
});

describe('saving a definition from the editor', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses a bad one with every problem named, creates a good one paused, and saves edits as new versions', async () => {
    const { definition } = buildDefinition(HOT, CONTEXT);
    const refused = await saveWorkflowDefinition(t.repos, undefined, {
      ...definition,
      conditions: { trigger: { field: 'score', threshold: 170, direction: 'up' } },
      actions: [{ type: 'createTask', title: '' }],
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(paths([...(refused as ValidationError).problems])).toEqual([
      'actions[0].title',
      'conditions.trigger.threshold',
    ]);
    expect(await t.repos.workflow.list({})).toEqual([]);

    const created = await saveWorkflowDefinition(t.repos, undefined, definition);
    const stored = await t.repos.workflow.require(created.id);
    expect(stored).toMatchObject({ name: 'Hot leads', trigger: 'scoreCrossed', active: false });
    const edited = buildDefinition({ ...draftOf(stored), params: { ...HOT.params, threshold: '80' } }, CONTEXT);
    await saveWorkflowDefinition(t.repos, created.id, edited.definition);
    const next = await t.repos.workflow.require(created.id);
    expect(next.conditions).toMatchObject({ trigger: { threshold: 80 } });
    expect(next.updatedAt >= stored.updatedAt).toBe(true);
    expect(next.description).toBeUndefined();
  });
});
