import type { EntityRepository } from '../../src-renderer/db/entity-repository';
import { scorableLeadIds } from '../../src-renderer/features/insights/lead-model';
import { LeadScoringService } from '../../src-renderer/features/insights/lead-scoring.service';
import { DEFAULT_NOW } from '../../src-shared/demo/demo-context';
import { type DemoSize, generateDemoData } from '../../src-shared/demo/generate-demo-data';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import { openTestDb } from '../support/local-db';
import { emit } from './bench-support';

export const benchId = 'AI-lead-rescore';

/** What a retrain reads: the leads, their engagement and the lead custom fields. */
const SEEDED = new Set(['customField', 'lead', 'leadActivity', 'contentInteraction']);

/**
 * The Retrain button on the demo data set ('small': 342 open leads), in a fake-IndexedDB database
 * with field encryption and audit: LeadScoringService.retrain reads the history, trains, and
 * re-scores every open lead (each score written, since a new model stamps new factors), with the
 * time spent in each phase it reports as progress. Then a change-driven re-score of 25 leads.
 * fake-indexeddb walks long index ranges slowly (its cursor searches its tree on every step), so
 * reading the history costs far more here than in Chromium; the phases show where time goes.
 */
export async function run(): Promise<void> {
  const size = (process.env.AI_SIZE ?? 'small') as DemoSize;
  let time = Date.parse(DEFAULT_NOW);
  const t = await openTestDb({
    collections: ['leads', 'activities', 'settings', 'audit'],
    clock: { now: () => new Date(time) },
    devMode: false,
  });
  try {
    for (const batch of generateDemoData({ size, batchSize: 1000 })) {
      if (!SEEDED.has(batch.entity)) continue;
      const repo = (t.repos as unknown as Record<string, EntityRepository<EntityDef>>)[batch.entity];
      await repo?.bulkCreate(batch.records as never);
    }
    const service = new LeadScoringService({
      db: t.db,
      repos: t.repos,
      context: { userId: t.actor.userId, mode: 'demo' },
      now: () => new Date(time),
      firstCheckMs: 86_400_000,
    });
    await service.start();
    const phases: Record<string, number> = {};
    let phase = '';
    let since = performance.now();
    const progress = service.state$.subscribe((s) => {
      const next = s.progress?.phase ?? '';
      if (next === phase) return;
      phases[phase] = (phases[phase] ?? 0) + performance.now() - since;
      phase = next;
      since = performance.now();
    });
    const started = performance.now();
    await service.retrain();
    const retrainMs = performance.now() - started;
    progress.unsubscribe();
    if (service.state.error) throw new Error(service.state.error);

    // A change-driven re-score: 25 leads whose activities changed, nothing new to write.
    time += 60_000;
    const ids = (await scorableLeadIds(t.repos, { userId: t.actor.userId, mode: 'demo' })).slice(0, 25);
    const again = performance.now();
    await service.rescore(ids);
    const changedMs = performance.now() - again;
    service.stop();

    emit({
      bench: benchId,
      value: Math.round(retrainMs),
      unit: 'ms',
      baseline: 0,
      ratio: 0,
      size,
      open_leads: service.state.lastRun?.scored,
      written: service.state.lastRun?.written,
      reading_ms: Math.round(phases.reading ?? 0),
      training_ms: Math.round(phases.training ?? 0),
      scoring_ms: Math.round(phases.scoring ?? 0),
      writing_ms: Math.round(phases.writing ?? 0),
      rescore_25_ms: Math.round(changedMs),
    });
  } finally {
    await t.close();
  }
}
