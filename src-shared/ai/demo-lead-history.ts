import { type DemoSize, generateDemoData } from '../demo/generate-demo-data';
import type { TimedExample } from './evaluate';
import { engagementOf, leadExample, leadOutcome } from './lead-scoring';

/**
 * The closed leads of a generated data set (with its planted signal, see demo-signal.ts) as
 * labelled examples, for the lead-scoring evaluation and its benchmark.
 */
export function demoLeadHistory(size: DemoSize, seed = 42): TimedExample[] {
  const leads: Record<string, unknown>[] = [];
  const activityTypes = new Map<string, string[]>();
  const interactions = new Map<string, number>();
  for (const batch of generateDemoData({ size, seed, batchSize: 5000 })) {
    if (batch.entity === 'lead') leads.push(...batch.records);
    else if (batch.entity === 'leadActivity') {
      for (const r of batch.records) {
        const list = activityTypes.get(String(r.leadId)) ?? [];
        list.push(String(r.type));
        activityTypes.set(String(r.leadId), list);
      }
    } else if (batch.entity === 'contentInteraction') {
      for (const r of batch.records) {
        if (r.subjectType === 'lead')
          interactions.set(String(r.subjectId), (interactions.get(String(r.subjectId)) ?? 0) + 1);
      }
    } else if (batch.entity === 'communication') break;
  }
  return leads.flatMap((lead) => {
    const label = leadOutcome(lead.status);
    if (label === undefined) return [];
    const id = String(lead.id);
    const engagement = engagementOf(activityTypes.get(id) ?? [], interactions.get(id) ?? 0);
    return [{ raw: leadExample(lead, engagement), label, at: String(lead.createdAt) }];
  });
}
