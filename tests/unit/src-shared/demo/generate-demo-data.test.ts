import { beforeAll, describe, expect, it } from 'vitest';
import { type ConsentFacts, consentRefusal } from '../../../../src-shared/consent/consent-rules';
import {
  DEMO_SIZES,
  type DemoBatch,
  type DemoRecord,
  generateDemoData,
} from '../../../../src-shared/demo/generate-demo-data';
import { ENTITIES, getEntity } from '../../../../src-shared/entities/registry';
import { baseFields } from '../../../../src-shared/schema/define-entity';
import { type CustomFieldDef, validateRecord } from '../../../../src-shared/schema/validate';

const NOW = new Date('2026-11-01T00:00:00.000Z');
const HISTORY_START = NOW.getTime() - 548 * 86_400_000;
/** The only base fields a create call may carry. */
const CALLER_FIELDS = new Set(['id', 'ownerId', 'createdAt', 'updatedAt']);

/** The stored record a repository would write: base fields stamped from the demo record's own. */
function complete(entity: string, record: DemoRecord): Record<string, unknown> {
  const full: Record<string, unknown> = { ...record, kind: entity };
  // By type, not by name, so a renamed base field (deleted → isDeleted) needs no change here.
  for (const [name, field] of Object.entries(baseFields)) {
    if (full[name] !== undefined || !field.required) continue;
    if (field.type === 'boolean') full[name] = false;
    else if (field.type === 'integer') full[name] = 1;
    else if (field.type === 'datetime') full[name] = record.createdAt;
    else if (field.type === 'ref') full[name] = record.ownerId;
  }
  return full;
}

function collect(batches: Iterable<DemoBatch>): Map<string, DemoRecord[]> {
  const byEntity = new Map<string, DemoRecord[]>();
  for (const batch of batches) {
    const list = byEntity.get(batch.entity) ?? [];
    list.push(...batch.records);
    byEntity.set(batch.entity, list);
  }
  return byEntity;
}

const flat = (batches: Iterable<DemoBatch>) =>
  [...batches].flatMap((b) => b.records.map((r) => JSON.stringify([b.entity, r])));

let batches: DemoBatch[];
let data: Map<string, DemoRecord[]>;
const all = (entity: string) => data.get(entity) ?? [];

beforeAll(() => {
  batches = [...generateDemoData({ size: 'small', now: NOW })];
  data = collect(batches);
});

describe('generateDemoData small', () => {
  it('yields every stored entity but the audit log, with the sized counts', () => {
    const expected = ENTITIES.filter((e) => e.storage === 'document' && e.name !== 'auditLog').map((e) => e.name);
    expect([...data.keys()].sort()).toEqual([...expected].sort());
    for (const [entity, count] of Object.entries(DEMO_SIZES.small))
      expect([entity, all(entity).length]).toEqual([entity, count]);
    console.info(Object.fromEntries([...data].map(([entity, records]) => [entity, records.length])));
  });

  it('keeps batches within the batch size and each entity contiguous', () => {
    const order: string[] = [];
    for (const batch of batches) {
      expect(batch.records.length).toBeGreaterThan(0);
      expect(batch.records.length).toBeLessThanOrEqual(1000);
      if (order.at(-1) !== batch.entity) order.push(batch.entity);
    }
    expect(new Set(order).size).toBe(order.length);
  });

  it('gives records that pass the registry validator once stamped', () => {
    const defs = new Map<string, CustomFieldDef[]>();
    for (const field of all('customField')) {
      const list = defs.get(field.entityKind as string) ?? [];
      list.push(field as unknown as CustomFieldDef);
      defs.set(field.entityKind as string, list);
    }
    const failures: string[] = [];
    for (const [entity, records] of data) {
      const def = getEntity(entity);
      for (const record of records) {
        const stamped = Object.keys(baseFields).filter((name) => !CALLER_FIELDS.has(name) && name in record);
        if (stamped.length > 0) failures.push(`${entity} ${record.id}: carries ${stamped.join(', ')}`);
        const problems = validateRecord(def, complete(entity, record), { customFields: defs.get(entity) ?? [] });
        if (problems.length > 0) failures.push(`${entity} ${record.id}: ${JSON.stringify(problems)}`);
      }
    }
    if (failures.length > 0) console.error(failures.slice(0, 10).join('\n'));
    expect(failures).toEqual([]);
  });

  it('refers only to records of the right entity yielded earlier', () => {
    const seen = new Map<string, Set<string>>();
    const bad: string[] = [];
    // Roles and users refer to each other; roles come first and their owner (the admin) just after.
    const bootstrap: string[] = [];
    for (const batch of batches) {
      const entity = getEntity(batch.entity);
      const ids = seen.get(batch.entity) ?? new Set<string>();
      seen.set(batch.entity, ids);
      for (const record of batch.records) {
        expect(ids.has(record.id)).toBe(false);
        ids.add(record.id);
        for (const [name, field] of Object.entries(entity.allFields)) {
          const value = record[name];
          if (field.type !== 'ref' || value === undefined) continue;
          const target = field.ref === '*' ? String(record.subjectType) : (field.ref ?? '');
          if (seen.get(target)?.has(String(value))) continue;
          if (batch.entity === 'userRole' && target === 'user') bootstrap.push(String(value));
          else bad.push(`${batch.entity}.${name} = ${String(value)} (${target})`);
        }
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(new Set(bootstrap)).toEqual(new Set([all('user')[0]?.id]));
  });

  it('dates everything within the 18 months before now', () => {
    for (const records of data.values()) {
      for (const record of records) {
        const at = Date.parse(record.createdAt);
        expect(at).toBeGreaterThanOrEqual(HISTORY_START);
        expect(at).toBeLessThanOrEqual(NOW.getTime());
      }
    }
  });

  it('dates each record last written at its own time, from its creation to the latest moment it holds, not when it is loaded', () => {
    // Without updatedAt the repository stamped the load time: every record "Updated" today, every note "edited".
    for (const [entity, records] of data) {
      for (const record of records) {
        const updated = String(record.updatedAt);
        expect([entity, updated >= record.createdAt && Date.parse(updated) <= NOW.getTime()]).toEqual([entity, true]);
      }
    }
    for (const note of all('note')) expect(note.updatedAt).toBe(note.createdAt);
    const closed = all('deal').filter((d) => d.closedAt !== undefined);
    expect(closed.length).toBeGreaterThan(0);
    for (const deal of closed) expect(String(deal.updatedAt) >= String(deal.closedAt)).toBe(true);
    const done = all('task').filter((task) => task.completedAt !== undefined);
    expect(done.length).toBeGreaterThan(0);
    for (const task of done) expect(task.updatedAt).toBe(task.completedAt);
  });

  it('records consents the demo communications keep to: every outbound email or SMS was allowed when sent', () => {
    const consents = all('consent') as unknown as ConsentFacts[];
    const refused: string[] = [];
    for (const comm of all('communication')) {
      // The consent on record up to the moment it was sent: a later withdrawal does not undo it.
      const then = consents.filter((c) => c.at <= String(comm.occurredAt));
      const refusal = consentRefusal(comm, then, (p) => p.id);
      if (refusal) refused.push(`${comm.id}: ${refusal.problem}`);
      // Nor is anyone the demo wrote to withdrawn today (the rule reads the latest record).
      const now = consentRefusal(comm, consents, (p) => p.id);
      if (now) refused.push(`${comm.id} today: ${now.problem}`);
    }
    expect(refused.slice(0, 5)).toEqual([]);
    const outbound = all('communication').filter((c) => c.direction === 'outbound');
    expect(outbound.filter((c) => c.type === 'email').length).toBeGreaterThan(100);
    expect(outbound.filter((c) => c.type === 'sms').length).toBeGreaterThan(0);
    const count = (channel: string, status: string) =>
      consents.filter((c) => c.channel === channel && c.status === status).length;
    expect(count('email', 'granted')).toBeGreaterThan(200);
    expect(count('email', 'withdrawn')).toBeGreaterThan(10);
    expect(count('sms', 'granted')).toBeGreaterThan(0);
    expect(new Set(consents.map((c) => (c as unknown as DemoRecord).subjectType))).toEqual(
      new Set(['contact', 'lead']),
    );
  });

  it('offers retention policies, every one switched off', () => {
    const policies = all('retentionPolicy');
    expect(policies.length).toBeGreaterThanOrEqual(1);
    expect(policies.map((p) => p.enabled)).toEqual(policies.map(() => false));
  });

  it('keeps deals consistent with their stage, line items and history', () => {
    const items = all('dealProduct');
    const history = all('dealStageHistory');
    for (const deal of all('deal')) {
      if (deal.stage === 'closedWon') expect([deal.probability, typeof deal.closedAt]).toEqual([100, 'string']);
      else if (deal.stage === 'closedLost') expect([deal.probability, typeof deal.closedAt]).toEqual([0, 'string']);
      else expect(deal.closedAt).toBeUndefined();
      const lines = items.filter((i) => i.dealId === deal.id);
      expect(lines.reduce((sum, line) => sum + Number(line.total), 0)).toBe(deal.amount);
      const moves = history.filter((h) => h.dealId === deal.id);
      expect(moves[0]?.fromStage).toBeUndefined();
      for (const [n, move] of moves.entries()) if (n > 0) expect(move.fromStage).toBe(moves[n - 1]?.toStage);
      expect(moves.at(-1)?.toStage).toBe(deal.stage);
    }
  });

  it('converts leads into real contacts and companies', () => {
    const contacts = new Map(all('contact').map((c) => [c.id, c]));
    const converted = all('lead').filter((l) => l.status === 'converted');
    expect(converted.length).toBeGreaterThan(30);
    for (const lead of converted) {
      const contact = contacts.get(String(lead.convertedContactId));
      expect(contact?.email).toBe(lead.email);
      expect(contact?.companyId).toBe(lead.convertedCompanyId);
      expect(lead.convertedAt).toBe(contact?.createdAt);
    }
  });

  it('records when a lead was lost: its last activity is the status change, weeks after it came in', () => {
    const lastActivity = new Map<string, DemoRecord>();
    for (const a of all('leadActivity')) {
      const before = lastActivity.get(String(a.leadId));
      if (!before || String(a.occurredAt) >= String(before.occurredAt)) lastActivity.set(String(a.leadId), a);
    }
    const closed = all('lead').filter((l) => l.status === 'lost' || l.status === 'unqualified');
    expect(closed.length).toBeGreaterThan(50);
    for (const lead of closed) {
      const last = lastActivity.get(String(lead.id));
      expect(last, `lead ${lead.id}`).toMatchObject({
        type: 'statusChanged',
        outcome: lead.status === 'lost' ? 'Lost' : 'Unqualified',
        occurredAt: lead.lastActivityAt,
      });
      const closedMs = Date.parse(String(last?.occurredAt));
      // Closed 3 weeks to 4 months in, and never in the data set's last day (not closed early).
      expect(closedMs - Date.parse(String(lead.createdAt))).toBeGreaterThanOrEqual(21 * 86_400_000 - 1000);
      expect(closedMs - Date.parse(String(lead.createdAt))).toBeLessThanOrEqual(120 * 86_400_000 + 1000);
      expect(closedMs).toBeLessThan(NOW.getTime() - 86_400_000);
    }
    // A converted lead's last activity is its conversion, as before.
    for (const lead of all('lead').filter((l) => l.status === 'converted'))
      expect(lastActivity.get(String(lead.id))).toMatchObject({ type: 'statusChanged', outcome: 'Converted' });
  });

  it('plants the documented signal: source and engagement drive conversion, source drives wins', () => {
    const leads = all('lead');
    const rate = (records: DemoRecord[], hit: (r: DemoRecord) => boolean) =>
      records.filter(hit).length / Math.max(1, records.length);
    const conversion = (source: string) =>
      rate(
        leads.filter((l) => l.source === source),
        (l) => l.status === 'converted',
      );
    console.info({ referral: conversion('referral'), coldOutreach: conversion('coldOutreach') });
    expect(conversion('referral')).toBeGreaterThan(conversion('coldOutreach') + 0.2);
    expect(conversion('referral')).toBeGreaterThan(3 * conversion('coldOutreach'));

    const activities = new Map<unknown, number>();
    for (const a of all('leadActivity')) activities.set(a.leadId, (activities.get(a.leadId) ?? 0) + 1);
    const meanActivities = (converted: boolean) => {
      const group = leads.filter((l) => (l.status === 'converted') === converted);
      return group.reduce((sum, l) => sum + (activities.get(l.id) ?? 0), 0) / group.length;
    };
    expect(meanActivities(true)).toBeGreaterThan(meanActivities(false) + 0.5);

    const closed = all('deal').filter((d) => d.closedAt !== undefined);
    const win = (source: string) =>
      rate(
        closed.filter((d) => d.source === source),
        (d) => d.stage === 'closedWon',
      );
    expect(win('referral')).toBeGreaterThan(win('coldOutreach'));
  });

  it('is deterministic: same options, same output whatever the batch size; another seed differs', () => {
    // Defaults: seed 42, now 2026-11-01.
    const again = flat(generateDemoData({ size: 'small', batchSize: 97 }));
    expect(again).toEqual(flat(batches));
    const other = collect(generateDemoData({ size: 'small', seed: 7, now: NOW }));
    const emails = new Set(all('contact').map((c) => c.email));
    const shared = (other.get('contact') ?? []).filter((c) => emails.has(c.email)).length;
    expect(shared).toBeLessThan(all('contact').length * 0.05);
  });
});

describe('generateDemoData 100k', () => {
  it('is lazy: the first batches come out at once', () => {
    const started = performance.now();
    const generator = generateDemoData({ size: '100k', batchSize: 20 });
    const first = generator.next();
    const second = generator.next();
    generator.return(undefined);
    expect(performance.now() - started).toBeLessThan(1000);
    expect([first.value?.entity, second.value?.entity]).toEqual(['userRole', 'user']);
    expect(second.value?.records).toHaveLength(20);
  });

  it('rejects a batch size that is not a positive integer', () => {
    expect(() => generateDemoData({ size: 'small', batchSize: 0 }).next()).toThrow(RangeError);
  });
});
