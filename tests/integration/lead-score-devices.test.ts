import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEngagement, rescoreLeads } from '../../src-renderer/features/insights/lead-model';
import { readModelFactors, toScoreFactors } from '../../src-renderer/features/insights/lead-scores';
import { LeadScoringService } from '../../src-renderer/features/insights/lead-scoring.service';
import { leadExample, scoreLead } from '../../src-shared/ai/lead-scoring';
import type { CollectionName } from '../../src-shared/schema/define-entity';
import { openTestDb } from '../support/local-db';
import { closeDevices, type NodeDevice, syncDevice } from '../support/node-device-sync';
import { startTestServer, type TestServer } from '../support/sync-server';
import { ORG_USERS, type OrgUser, scopedHeaderAuthenticate, seedOrg } from './sync-scope-fixtures';

/**
 * Lead scores as a rep and their manager see them (issue 5, "scores and explanations sync so a
 * manager sees the same number"): rep A1's laptop trains on the team's closed leads and scores its
 * open lead; after a sync the manager's device shows the same score, rating and top factors; the
 * manager's own scorer, trained on the same history, computes the same number and writes nothing
 * (only the owner's device writes a lead's score), so the two devices never fight over it. Real
 * Postgres, the real sync server, RxDB devices replicating over HTTP, the app's scoring service.
 */

const COLLECTIONS: CollectionName[] = ['leads', 'activities', 'settings', 'audit'];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('crm_lead_score_devices', {
    authenticate: scopedHeaderAuthenticate,
    beforeListen: (_app, db) => seedOrg(db),
  });
});

const devices: NodeDevice[] = [];
const services: LeadScoringService[] = [];
afterAll(async () => {
  for (const s of services.splice(0)) {
    s.stop();
    await s.idle();
  }
  await closeDevices(devices);
  await server?.close();
});

async function device(user: OrgUser, deviceId: string): Promise<NodeDevice> {
  const userId = ORG_USERS[user].id;
  let seq = 0;
  const t = await openTestDb({
    collections: COLLECTIONS,
    actor: () => ({ userId, deviceId }),
    newId: () => `${deviceId}-${++seq}`,
  });
  const d: NodeDevice = { t };
  devices.push(d);
  return d;
}

function scorer(d: NodeDevice): LeadScoringService {
  const s = new LeadScoringService({
    db: d.t.db,
    repos: d.t.repos,
    context: { userId: d.t.db.actor().userId, mode: 'signed-in' },
    now: () => d.t.db.clock.now(),
    debounceMs: 20,
    firstCheckMs: 86_400_000,
  });
  services.push(s);
  return s;
}

/** The rep's history: converted referrals with meetings, lost cold outreach without. */
async function history(d: NodeDevice, perClass: number) {
  const leads: Record<string, unknown>[] = [];
  const activities: Record<string, unknown>[] = [];
  for (let i = 0; i < perClass; i++) {
    const won = `won-${i}`;
    leads.push({
      id: won,
      lastName: `Won ${i}`,
      source: i % 4 === 0 ? 'website' : 'referral',
      status: 'converted',
      convertedContactId: `contact-${i}`,
      convertedAt: '2026-10-01T00:00:00.000Z',
    });
    for (let k = 0; k < 3; k++)
      activities.push({ leadId: won, type: 'meeting', occurredAt: `2026-09-0${k + 1}T00:00:00.000Z` });
    leads.push({
      id: `lost-${i}`,
      lastName: `Lost ${i}`,
      source: i % 4 === 0 ? 'referral' : 'coldOutreach',
      status: 'lost',
    });
  }
  await d.t.repos.lead.bulkCreate(leads as never);
  await d.t.repos.leadActivity.bulkCreate(activities as never);
}

const shown = (lead: { score?: unknown; rating?: unknown; scoreFactors?: unknown }) => ({
  score: lead.score,
  rating: lead.rating,
  factors: readModelFactors(lead.scoreFactors),
});

describe('lead scores across a rep and their manager', () => {
  it("shows the rep's score and reasons on the manager's device, which computes the same and writes nothing", async () => {
    const rep = await device('repA1', 'rep-laptop');
    const manager = await device('mgrA', 'mgr-desktop');
    await history(rep, 22);
    const lead = await rep.t.repos.lead.create({ id: 'open-1', lastName: 'Open', source: 'referral', status: 'new' });
    await rep.t.repos.leadActivity.create({ leadId: lead.id, type: 'meeting', occurredAt: '2026-10-28T10:00:00.000Z' });

    const repScorer = scorer(rep);
    await repScorer.start();
    await repScorer.retrain();
    expect(repScorer.state.model?.basis).toBe('trained');
    expect(repScorer.state.lastRun).toMatchObject({ scored: 1, written: 1 });
    const onRep = shown(await rep.t.repos.lead.require(lead.id));
    expect(onRep.score).toBeGreaterThan(0);
    expect(onRep.factors?.positive.length).toBeGreaterThan(0);

    await syncDevice(server, rep);
    await syncDevice(server, manager);
    const onManager = shown(await manager.t.repos.lead.require(lead.id));
    expect(onManager).toEqual(onRep);

    // The manager's device trains its own scorer on the same synced history and re-scores: the
    // same number and reasons (training is deterministic), and no write on a lead it does not own.
    const managerScorer = scorer(manager);
    await managerScorer.start();
    await managerScorer.retrain();
    expect(managerScorer.state.model?.examples).toBe(repScorer.state.model?.examples);
    expect(managerScorer.state.lastRun?.written).toBe(0);
    const model = managerScorer.state.model;
    if (!model) throw new Error('the manager has no model');
    const asOf = manager.t.db.clock.now();
    const engagement = await readEngagement(manager.t.repos, [lead.id]);
    const stored = await manager.t.repos.lead.require(lead.id);
    const own = scoreLead(model, leadExample(stored, engagement.of(lead.id, asOf)));
    expect({ score: own.score, factors: toScoreFactors(own, model) }).toEqual({
      score: onRep.score,
      factors: onRep.factors,
    });
    const decisions: string[] = [];
    await rescoreLeads(
      manager.t.repos,
      model,
      [lead.id],
      { userId: ORG_USERS.mgrA.id, mode: 'signed-in' },
      { now: () => asOf, onDecision: (_id, d) => decisions.push(d.write ? 'write' : d.why) },
    );
    expect(decisions).toEqual(['not the owner’s device']);
    expect(shown(await manager.t.repos.lead.require(lead.id))).toEqual(onRep);

    // The manager's activity on the lead syncs to the rep, whose device re-scores it; the manager
    // then sees the new number.
    await manager.t.repos.leadActivity.create({
      leadId: lead.id,
      type: 'demo',
      occurredAt: '2026-10-30T10:00:00.000Z',
    });
    await syncDevice(server, manager);
    await syncDevice(server, rep);
    await repScorer.rescore([lead.id]);
    const rescored = shown(await rep.t.repos.lead.require(lead.id));
    expect(rescored.score).toBeGreaterThan(onRep.score as number);
    await syncDevice(server, rep);
    await syncDevice(server, manager);
    expect(shown(await manager.t.repos.lead.require(lead.id))).toEqual(rescored);
    const [row] = (await server.db.query<{ score: number }>('select score from leads where id = $1', [lead.id])).rows;
    expect(row?.score).toBe(rescored.score);
  });
});
