import { DEFAULT_NOW } from '../demo/demo-context';
import { type DemoSize, generateDemoData } from '../demo/generate-demo-data';
import type { TimedExample } from './evaluate';
import { engagementOf, type LeadTouch, leadExample, leadOutcome, scoringTimeOf } from './lead-scoring';

/**
 * The closed leads of a generated data set (with its planted signal, see demo-signal.ts) as
 * labelled examples, for the lead-scoring evaluation and its benchmark, each read as of when it
 * closed.
 */
export function demoLeadHistory(size: DemoSize, seed = 42, now = new Date(DEFAULT_NOW)): TimedExample[] {
  const leads: Record<string, unknown>[] = [];
  const activities = new Map<string, LeadTouch[]>();
  const interactions = new Map<string, LeadTouch[]>();
  const add = (index: Map<string, LeadTouch[]>, id: string, touch: LeadTouch) => {
    const list = index.get(id);
    if (list) list.push(touch);
    else index.set(id, [touch]);
  };
  for (const batch of generateDemoData({ size, seed, now, batchSize: 5000 })) {
    if (batch.entity === 'lead') leads.push(...batch.records);
    else if (batch.entity === 'leadActivity') {
      for (const r of batch.records) add(activities, String(r.leadId), { type: r.type, occurredAt: r.occurredAt });
    } else if (batch.entity === 'contentInteraction') {
      for (const r of batch.records)
        if (r.subjectType === 'lead') add(interactions, String(r.subjectId), { occurredAt: r.occurredAt });
    } else if (batch.entity === 'communication') break;
  }
  return leads.flatMap((lead) => {
    const label = leadOutcome(lead.status);
    if (label === undefined) return [];
    const id = String(lead.id);
    const acts = activities.get(id) ?? [];
    // As of when it closed: its conversion, or the status change the generator records when a lead is lost.
    const engagement = engagementOf(acts, interactions.get(id) ?? [], scoringTimeOf(lead, acts, now));
    return [{ raw: leadExample(lead, engagement), label, at: String(lead.createdAt) }];
  });
}
