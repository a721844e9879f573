import { describe, expect, it } from 'vitest';
import { rulesInWords, triggerText } from '../../../../../src-renderer/features/settings/workflow-rules';

describe('workflow rules in words', () => {
  it('reads conditions with field labels and actions with their settings', () => {
    expect(
      rulesInWords(
        'deal',
        {
          all: [
            { field: 'stage', op: 'notIn', value: ['closedWon', 'closedLost'] },
            { field: 'stageChangedAt', op: 'olderThanDays', value: 21 },
          ],
        },
        [{ type: 'createTask', taskType: 'followUp', priority: 'high', title: 'Follow up', groupId: 'g1' }],
      ),
    ).toEqual({
      match: 'all',
      conditions: ['Stage is none of closed won, closed lost', 'Stage changed more than 21 days ago'],
      actions: ['Create task (task type follow up, priority high, title “Follow up”)'],
    });
  });

  it('copes with any-of, nothing, and shapes it does not know', () => {
    expect(
      rulesInWords('lead', { any: [{ field: 'score', op: 'gt', value: 80 }, 'odd'] }, [{ type: 'notify' }, 3]),
    ).toEqual({
      match: 'any',
      conditions: ['Score is more than 80', '"odd"'],
      actions: ['Notify', '3'],
    });
    expect(rulesInWords('lead', undefined, undefined)).toEqual({ match: 'all', conditions: [], actions: [] });
  });

  it('reads a trigger with its parameters', () => {
    expect(triggerText('lead', 'scoreCrossed', { trigger: { field: 'score', threshold: 70, direction: 'up' } })).toBe(
      'score rises to 70 or above',
    );
    expect(
      triggerText('deal', 'scoreCrossed', { trigger: { field: 'probability', threshold: 20, direction: 'down' } }),
    ).toBe('probability falls below 20');
    expect(triggerText('deal', 'dateReached', { trigger: { dateField: 'expectedCloseDate', offsetDays: -7 } })).toBe(
      '7 days before expected close',
    );
    expect(triggerText('deal', 'stageChanged', { trigger: { stage: 'negotiation' } })).toBe(
      'the stage changes to negotiation',
    );
    expect(triggerText('lead', 'recordCreated', undefined)).toBe('record created');
  });
});
