import { describe, expect, it } from 'vitest';
import { workflowProblems } from '../../../../src-shared/automation/workflow-definition';
import {
  conditionsHold,
  fires,
  planRun,
  type RecordEvent,
  type WorkflowLike,
} from '../../../../src-shared/automation/workflow-engine';
import { generateDemoData } from '../../../../src-shared/demo/generate-demo-data';

const NOW = new Date('2026-11-01T09:00:00.000Z');

describe('workflow definitions', () => {
  it('accepts the demo workflows', () => {
    const workflows = [...generateDemoData({ size: 'small' })]
      .filter((b) => b.entity === 'workflow')
      .flatMap((b) => b.records);
    expect(workflows.length).toBeGreaterThan(0);
    for (const w of workflows) expect(workflowProblems(w as never), String(w.name)).toEqual([]);
  });

  it('names each bad part of a definition by its path', () => {
    const problems = workflowProblems({
      entityKind: 'lead',
      trigger: 'recordCreated',
      conditions: {
        all: [
          { field: 'sauce', op: 'eq', value: 'x' },
          { field: 'source', op: 'in', value: ['website', 'carrierPigeon'] },
          { field: 'score', op: 'gt', value: 'high' },
          { field: 'status', op: 'approximately', value: 'new' },
          { field: 'createdAt', op: 'olderThanDays', value: -3 },
        ],
      },
      actions: [
        { type: 'createTask', title: '' },
        { type: 'updateField', field: 'status', value: 'won' },
        { type: 'webhook', url: 'ftp://example.com/hook' },
        { type: 'launchRocket' },
      ],
    });
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.problem]));
    expect(byField['conditions.all[3].op']).toMatch(/must be one of eq, neq/);
    expect(problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(['conditions.all[3].op', 'actions[0].title', 'actions[2].url', 'actions[3].type']),
    );
  });

  it('checks fields and values against the registry once the shape is right', () => {
    const problems = workflowProblems({
      entityKind: 'lead',
      trigger: 'recordCreated',
      conditions: {
        all: [
          { field: 'sauce', op: 'eq', value: 'x' },
          { field: 'source', op: 'in', value: ['website', 'carrierPigeon'] },
          { field: 'score', op: 'gt', value: 'high' },
          { field: 'firstName', op: 'olderThanDays', value: 3 },
          { field: 'score', op: 'crossedAbove', value: 70 },
        ],
      },
      actions: [
        { type: 'updateField', field: 'status', value: 'won' },
        { type: 'updateField', field: 'mood', value: 'happy' },
      ],
    });
    expect(problems).toEqual([
      { field: 'conditions.all[0].field', problem: '"sauce" is not a field of Lead' },
      { field: 'conditions.all[1].value[1]', problem: expect.stringMatching(/^must be one of website, referral/) },
      { field: 'conditions.all[2].value', problem: 'must be a number' },
      { field: 'conditions.all[3].op', problem: 'olderThanDays needs a date field; firstName is string' },
      { field: 'actions[0].value', problem: expect.stringMatching(/^must be one of new, contacted/) },
      { field: 'actions[1].field', problem: '"mood" is not a field of Lead' },
      { field: 'trigger', problem: 'a condition on a change needs an update trigger' },
    ]);
  });

  it('refuses actions the entity cannot take', () => {
    expect(
      workflowProblems({
        entityKind: 'task',
        trigger: 'recordCreated',
        actions: [{ type: 'addToList', listId: 'l1' }],
      }),
    ).toEqual([{ field: 'actions[0].type', problem: 'only leads can be added to a lead list' }]);
    expect(workflowProblems({ entityKind: 'lead', trigger: 'manual', actions: [] })).toEqual([
      { field: 'actions', problem: 'needs at least one action' },
    ]);
  });
});

const lead = (patch: Record<string, unknown> = {}) => ({
  id: 'lead-1',
  kind: 'lead',
  ownerId: 'u1',
  source: 'website',
  status: 'new',
  score: 40,
  createdAt: '2026-10-01T00:00:00.000Z',
  ...patch,
});

const inbound: WorkflowLike = {
  id: 'wf-1',
  entityKind: 'lead',
  trigger: 'recordCreated',
  active: true,
  conditions: { all: [{ field: 'source', op: 'in', value: ['website', 'paidAds'] }] },
  actions: [
    { type: 'assignRoundRobin', groupId: 'g1' },
    { type: 'createTask', taskType: 'call', dueInDays: 1, title: 'Call new inbound lead' },
  ],
};

describe('the workflow engine', () => {
  it('plans the actions of a matching event with their targets and times resolved', () => {
    const plan = planRun(inbound, { kind: 'created', after: lead() }, { now: NOW, nextInGroup: () => 'u7' });
    expect(plan).toEqual({
      outcome: 'planned',
      warnings: [],
      actions: [
        { type: 'assign', recordId: 'lead-1', ownerId: 'u7' },
        {
          type: 'createTask',
          title: 'Call new inbound lead',
          taskType: 'call',
          priority: 'normal',
          dueAt: '2026-11-02T09:00:00.000Z',
          subjectType: 'lead',
          subjectId: 'lead-1',
          ownerId: 'u1',
        },
      ],
    });
  });

  it('skips, with the reason, when the trigger or conditions do not match', () => {
    const context = { now: NOW, nextInGroup: () => 'u7' };
    expect(planRun(inbound, { kind: 'updated', before: lead(), after: lead() }, context)).toEqual({
      outcome: 'skipped',
      reason: 'the trigger does not match',
    });
    expect(planRun(inbound, { kind: 'created', after: lead({ source: 'referral' }) }, context)).toEqual({
      outcome: 'skipped',
      reason: 'the conditions do not hold',
    });
    expect(planRun({ ...inbound, active: false }, { kind: 'created', after: lead() }, context).outcome).toBe('skipped');
  });

  it('warns instead of guessing when a round-robin group has no one', () => {
    const plan = planRun(inbound, { kind: 'created', after: lead() }, { now: NOW, nextInGroup: () => undefined });
    expect(plan.outcome === 'planned' && plan.warnings).toEqual(['assignRoundRobin: group g1 has no active member']);
  });

  it('fires on a score crossing a threshold, once', () => {
    const hot: WorkflowLike = {
      id: 'wf-2',
      entityKind: 'lead',
      trigger: 'fieldChanged',
      active: true,
      conditions: { all: [{ field: 'score', op: 'crossedAbove', value: 70 }] },
      actions: [{ type: 'notify', message: 'Lead is hot' }],
    };
    const up: RecordEvent = { kind: 'updated', before: lead({ score: 60 }), after: lead({ score: 75 }) };
    const stillUp: RecordEvent = { kind: 'updated', before: lead({ score: 75 }), after: lead({ score: 80 }) };
    expect(planRun(hot, up, { now: NOW, nextInGroup: () => undefined })).toMatchObject({
      outcome: 'planned',
      actions: [{ type: 'notify', userId: 'u1', message: 'Lead is hot', recordId: 'lead-1' }],
    });
    expect(fires(hot, stillUp) && conditionsHold(hot.conditions as never, stillUp, NOW)).toBe(false);
  });

  it('finds stalled deals on a schedule', () => {
    const stalled = {
      all: [
        { field: 'stage', op: 'notIn' as const, value: ['closedWon', 'closedLost'] },
        { field: 'stageChangedAt', op: 'olderThanDays' as const, value: 21 },
      ],
    };
    const deal = { id: 'd1', kind: 'deal', stage: 'proposal', stageChangedAt: '2026-09-01T00:00:00.000Z' };
    expect(conditionsHold(stalled, { kind: 'scheduled', after: deal }, NOW)).toBe(true);
    expect(
      conditionsHold(
        stalled,
        { kind: 'scheduled', after: { ...deal, stageChangedAt: '2026-10-25T00:00:00.000Z' } },
        NOW,
      ),
    ).toBe(false);
  });
});

describe('conditions on custom fields (customFields.<key>)', () => {
  const routing = (conditions: unknown) => ({
    entityKind: 'lead',
    trigger: 'recordCreated',
    conditions,
    actions: [{ type: 'assignRoundRobin', groupId: 'g_storage' }],
  });

  it('accepts a product-interest rule on a custom field and refuses bad ones by path', () => {
    expect(
      workflowProblems(routing({ all: [{ field: 'customFields.productInterest', op: 'eq', value: 'storage' }] })),
    ).toEqual([]);
    expect(
      workflowProblems(
        routing({
          all: [
            { field: 'customFields.Product', op: 'eq', value: 'x' },
            { field: 'customFields.seats', op: 'gt', value: 'many' },
            { field: 'customFields.productInterest', op: 'in', value: [{ nested: true }] },
          ],
        }),
      ).map((p) => p.field),
    ).toEqual(['conditions.all[0].field', 'conditions.all[1].value', 'conditions.all[2].value[0]']);
    expect(
      workflowProblems({
        ...routing({ all: [{ field: 'customFields.x', op: 'isSet' }] }),
        entityKind: 'task',
        actions: [{ type: 'createTask', title: 't' }],
      }),
    ).toEqual([{ field: 'conditions.all[0].field', problem: 'Tasks have no custom fields' }]);
  });

  it('reads the value from the record’s custom field map', () => {
    const workflow: WorkflowLike = {
      id: 'wf_storage',
      entityKind: 'lead',
      trigger: 'recordCreated',
      conditions: { all: [{ field: 'customFields.productInterest', op: 'in', value: ['storage', 'backup'] }] },
      actions: [{ type: 'assignRoundRobin', groupId: 'g_storage' }],
      active: true,
    };
    const lead = (customFields?: Record<string, unknown>): RecordEvent => ({
      kind: 'created',
      after: { id: 'l1', kind: 'lead', ...(customFields ? { customFields } : {}) },
    });
    const context = { now: NOW, nextInGroup: () => 'u_storage' };
    expect(planRun(workflow, lead({ productInterest: 'backup' }), context)).toMatchObject({
      outcome: 'planned',
      actions: [{ type: 'assign', ownerId: 'u_storage' }],
    });
    expect(planRun(workflow, lead({ productInterest: 'crm' }), context)).toMatchObject({ outcome: 'skipped' });
    expect(planRun(workflow, lead(), context)).toMatchObject({ outcome: 'skipped' });
  });
});
