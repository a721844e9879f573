import { describe, expect, it } from 'vitest';
import { workflowProblems } from '../../../../src-shared/automation/workflow-definition';
import { fires, planRun, type WorkflowLike } from '../../../../src-shared/automation/workflow-engine';
import { crossed, reachedAt, TRIGGER_TYPES } from '../../../../src-shared/automation/workflow-triggers';
import { workflowEntity } from '../../../../src-shared/entities/work.entity';

const ACTIONS = [{ type: 'createTask', title: 'Call the hot lead' }];
const fields = (problems: { field: string }[]) => problems.map((p) => p.field).sort();
const NOW = new Date('2026-04-06T09:00:00.000Z');

describe('trigger types', () => {
  it('are the entity’s trigger values', () => {
    expect([...(workflowEntity.fields.trigger.values ?? [])].sort()).toEqual([...TRIGGER_TYPES].sort());
  });
});

describe('scoreCrossed definitions', () => {
  const good = {
    entityKind: 'lead',
    trigger: 'scoreCrossed',
    conditions: { trigger: { field: 'score', threshold: 70, direction: 'up' } },
    actions: ACTIONS,
  };

  it('accepts a lead score and a deal probability', () => {
    expect(workflowProblems(good)).toEqual([]);
    expect(
      workflowProblems({
        ...good,
        entityKind: 'deal',
        conditions: { trigger: { field: 'probability', threshold: 50, direction: 'down' } },
      }),
    ).toEqual([]);
  });

  it.each([
    { what: 'no parameters', conditions: undefined, field: 'conditions.trigger' },
    {
      what: 'no threshold',
      conditions: { trigger: { field: 'score', direction: 'up' } },
      field: 'conditions.trigger.threshold',
    },
    {
      what: 'a direction sideways',
      conditions: { trigger: { field: 'score', threshold: 70, direction: 'sideways' } },
      field: 'conditions.trigger.direction',
    },
    {
      what: 'a field leads lack',
      conditions: { trigger: { field: 'shoeSize', threshold: 70, direction: 'up' } },
      field: 'conditions.trigger.field',
    },
    {
      what: 'a text field',
      conditions: { trigger: { field: 'lastName', threshold: 70, direction: 'up' } },
      field: 'conditions.trigger.field',
    },
    {
      what: 'a threshold out of the field’s range',
      conditions: { trigger: { field: 'score', threshold: 170, direction: 'up' } },
      field: 'conditions.trigger.threshold',
    },
    {
      what: 'an unknown parameter',
      conditions: { trigger: { field: 'score', threshold: 70, direction: 'up', often: true } },
      field: 'conditions.trigger',
    },
  ])('refuses $what, naming $field', ({ conditions, field }) => {
    const problems = workflowProblems({ ...good, conditions });
    expect(fields(problems)).toEqual([field]);
    expect(problems[0]?.problem).toMatch(/\w/);
  });

  it('refuses a kind without a score', () => {
    expect(fields(workflowProblems({ ...good, entityKind: 'contact' }))).toEqual(['entityKind']);
  });

  it('fires once, on the update that crosses, not on updates past it', () => {
    const params = { field: 'score', threshold: 70, direction: 'up' as const };
    expect(crossed(params, { score: 60 }, { score: 70 })).toBe(true);
    expect(crossed(params, { score: 70 }, { score: 85 })).toBe(false);
    expect(crossed(params, { score: 85 }, { score: 60 })).toBe(false);
    expect(crossed(params, undefined, { score: 90 })).toBe(false);
    const down = { ...params, direction: 'down' as const };
    expect(crossed(down, { score: 70 }, { score: 69 })).toBe(true);
    expect(crossed(down, { score: 50 }, { score: 40 })).toBe(false);
  });

  it('is planned by the engine for a crossing update only', () => {
    const wf: WorkflowLike = { id: 'wf', ...good, actions: good.actions as WorkflowLike['actions'], active: true };
    const lead = (score: number) => ({ id: 'l1', kind: 'lead', score });
    const context = { now: NOW, nextInGroup: () => undefined };
    expect(planRun(wf, { kind: 'updated', before: lead(50), after: lead(75) }, context).outcome).toBe('planned');
    expect(planRun(wf, { kind: 'updated', before: lead(75), after: lead(90) }, context).outcome).toBe('skipped');
    expect(planRun(wf, { kind: 'created', after: lead(90) }, context).outcome).toBe('skipped');
  });
});

describe('dateReached definitions', () => {
  const good = {
    entityKind: 'deal',
    trigger: 'dateReached',
    conditions: { trigger: { dateField: 'expectedCloseDate', offsetDays: -7 } },
    actions: ACTIONS,
  };

  it('accepts a date field with an offset', () => {
    expect(workflowProblems(good)).toEqual([]);
  });

  it.each([
    { what: 'no date field', trigger: { offsetDays: 1 }, field: 'conditions.trigger.dateField' },
    {
      what: 'a field that is not a date',
      trigger: { dateField: 'name', offsetDays: 0 },
      field: 'conditions.trigger.dateField',
    },
    {
      what: 'a fractional offset',
      trigger: { dateField: 'expectedCloseDate', offsetDays: 1.5 },
      field: 'conditions.trigger.offsetDays',
    },
    {
      what: 'an offset of years',
      trigger: { dateField: 'expectedCloseDate', offsetDays: 999 },
      field: 'conditions.trigger.offsetDays',
    },
  ])('refuses $what, naming $field', ({ trigger, field }) => {
    expect(fields(workflowProblems({ ...good, conditions: { trigger } }))).toEqual([field]);
  });

  it('reads a day as midnight UTC plus the offset, and fires only once reached', () => {
    const params = { dateField: 'expectedCloseDate', offsetDays: -7 };
    expect(reachedAt(params, { expectedCloseDate: '2026-04-13' })?.toISOString()).toBe('2026-04-06T00:00:00.000Z');
    expect(reachedAt(params, {})).toBeUndefined();
    const wf: WorkflowLike = { id: 'wf', ...good, actions: good.actions as WorkflowLike['actions'], active: true };
    const deal = (expectedCloseDate: string) => ({ id: 'd1', kind: 'deal', expectedCloseDate });
    expect(fires(wf, { kind: 'dateReached', after: deal('2026-04-13') }, NOW)).toBe(true);
    expect(fires(wf, { kind: 'dateReached', after: deal('2026-04-14') }, NOW)).toBe(false);
    expect(fires(wf, { kind: 'updated', before: deal('2026-04-13'), after: deal('2026-04-13') }, NOW)).toBe(false);
  });
});

describe('older definitions', () => {
  it('still accept crossing and date conditions on update and scheduled triggers', () => {
    expect(
      workflowProblems({
        entityKind: 'lead',
        trigger: 'recordUpdated',
        conditions: { all: [{ field: 'score', op: 'crossedAbove', value: 70 }] },
        actions: ACTIONS,
      }),
    ).toEqual([]);
    expect(
      workflowProblems({
        entityKind: 'deal',
        trigger: 'scheduled',
        conditions: { all: [{ field: 'stageChangedAt', op: 'olderThanDays', value: 21 }] },
        actions: ACTIONS,
      }),
    ).toEqual([]);
  });

  it('refuse trigger parameters on a trigger that takes none, and name a bad stage', () => {
    expect(
      fields(
        workflowProblems({
          entityKind: 'lead',
          trigger: 'recordCreated',
          conditions: { trigger: {} },
          actions: ACTIONS,
        }),
      ),
    ).toEqual(['conditions.trigger']);
    expect(
      fields(
        workflowProblems({
          entityKind: 'deal',
          trigger: 'stageChanged',
          conditions: { trigger: { stage: 'nowhere' } },
          actions: ACTIONS,
        }),
      ),
    ).toEqual(['conditions.trigger.stage']);
  });
});
