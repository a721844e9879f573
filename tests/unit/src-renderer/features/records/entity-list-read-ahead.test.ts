import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { otherFilterChoices } from '../../../../../src-renderer/features/records/EntityList';
import { servedByIndex } from '../../../../../src-renderer/ui/usePagedList';
import { contactEntity } from '../../../../../src-shared/entities/contact.entity';
import { dealEntity } from '../../../../../src-shared/entities/deal.entity';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb({ collections: ['contacts', 'deals'] });
});
afterEach(async () => {
  await t.close();
});

const values = (field: string) => (dealEntity.allFields[field]?.values ?? []) as readonly string[];

describe("EntityList's read-ahead", () => {
  it('lists each other value of each filter, the other filters as chosen, then the extra wheres', () => {
    const choices = otherFilterChoices(
      dealEntity,
      ['stage', 'forecastCategory'],
      { ownerId: 'u1' },
      { stage: 'proposal' },
      [{ ownerId: 'u2' }],
    );
    const stages = values('stage').filter((s) => s !== 'proposal');
    expect(choices.slice(0, stages.length)).toEqual(stages.map((stage) => ({ where: { ownerId: 'u1', stage } })));
    expect(choices.slice(stages.length, -1)).toEqual(
      values('forecastCategory').map((forecastCategory) => ({
        where: { ownerId: 'u1', stage: 'proposal', forecastCategory },
      })),
    );
    expect(choices.at(-1)).toEqual({ where: { ownerId: 'u2', stage: 'proposal' } });
  });

  it('reads ahead only what an index answers: a deal stage, never a forecast category (a walk of every deal)', () => {
    const choices = otherFilterChoices(dealEntity, ['stage', 'forecastCategory'], {}, {}, undefined);
    const served = servedByIndex(t.repos.deal, choices);
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((c) => 'stage' in (c.where as object) && !('forecastCategory' in (c.where as object)))).toBe(
      true,
    );
    expect(served).toHaveLength(values('stage').length);
  });

  it("keeps every contact status: the contacts' list reads them all ahead, as before", () => {
    const choices = otherFilterChoices(contactEntity, ['status'], {}, {}, undefined);
    expect(servedByIndex(t.repos.contact, choices)).toEqual(choices);
  });
});
