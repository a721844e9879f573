import { describe, expect, it } from 'vitest';
import { workflowWriteProblems } from '../../../../sync-server/src/automation/workflow-validation';

describe('workflowWriteProblems', () => {
  const valid = {
    kind: 'workflow',
    entityKind: 'deal',
    trigger: 'scheduled',
    schedule: '0 8 * * 1',
    conditions: { all: [{ field: 'stageChangedAt', op: 'olderThanDays', value: 21 }] },
    actions: [{ type: 'createTask', title: 'Follow up' }],
    active: true,
  };

  it('accepts the demo stalled-deal workflow', () => {
    expect(workflowWriteProblems(valid)).toEqual([]);
  });

  it('names each problem by its path, schedule included', () => {
    const problems = workflowWriteProblems({
      ...valid,
      schedule: 'weekly',
      actions: [{ type: 'createTask', title: '' }, { type: 'assignRoundRobin' }],
    });
    expect(problems.map((p) => p.field).sort()).toEqual(['actions[0].title', 'actions[1].groupId', 'schedule']);
  });

  it('does not check a removed workflow', () => {
    expect(workflowWriteProblems({ ...valid, actions: 'nonsense', isDeleted: true })).toEqual([]);
    expect(workflowWriteProblems({ ...valid, actions: 'nonsense', _deleted: true })).toEqual([]);
  });
});
