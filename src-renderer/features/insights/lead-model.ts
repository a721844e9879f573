import type { Classifier, LabelledExample } from '../../../src-shared/ai/classifier';
import {
  customFieldFeatures,
  engagementOf,
  type LeadScorer,
  type LeadTouch,
  leadExample,
  leadOutcome,
  scoreLead,
  scoringTimeOf,
} from '../../../src-shared/ai/lead-scoring';
import type { CrmRxDatabase } from '../../db/create-database';
import type { Repositories } from '../../db/repositories';
import { type RescoreContext, type RescoreDecision, rescoreDecision, toScoreFactors } from './lead-scores';
import { trainLeadOffThread } from './training';

/**
 * The lead scorer of this device: trained from the local closed leads, kept as an RxDB local
 * document (device state: never replicated, never audited as a record). The scores it writes on
 * leads do sync; the model itself is rebuilt on each device from the same history.
 */
const MODEL_KEY = 'insights-lead-model';

const CLOSED_STATUSES = ['converted', 'lost', 'unqualified'] as const;
export const OPEN_LEAD_STATUSES = ['new', 'contacted', 'nurturing', 'qualified'] as const;

/** Lets the page breathe between chunks of work, so scoring never holds up typing or scrolling. */
export function yieldToIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 500 });
    else setTimeout(resolve, 0);
  });
}

/** Each lead's activities and content interactions, read once and grouped in memory. */
export interface EngagementIndex {
  activitiesOf(leadId: string): readonly LeadTouch[];
  /** As of `asOf`: the scoring time for an open lead, when it closed for a closed one. */
  of(leadId: string, asOf: Date): ReturnType<typeof engagementOf>;
}

/**
 * Each lead's activities (kind and time) and content interactions (time), by lead id: what its
 * engagement, recency and frequency are read from. Every lead's (one read of each kind) for a
 * retrain, which trains and re-scores from the same index; for a few changed leads, their own
 * (indexed reads by lead, in parallel), which costs far less than reading everyone's.
 */
export async function readEngagement(repos: Repositories, leadIds?: readonly string[]): Promise<EngagementIndex> {
  const activities = new Map<string, LeadTouch[]>();
  const interactions = new Map<string, LeadTouch[]>();
  const add = (index: Map<string, LeadTouch[]>, id: string, touch: LeadTouch) => {
    const list = index.get(id);
    if (list) list.push(touch);
    else index.set(id, [touch]);
  };
  const [acts, touches] = await Promise.all([
    leadIds
      ? Promise.all(leadIds.map((leadId) => repos.leadActivity.list({ where: { leadId } }))).then((l) => l.flat())
      : repos.leadActivity.list(),
    leadIds
      ? Promise.all(leadIds.map((subjectId) => repos.contentInteraction.list({ where: { subjectId } }))).then((l) =>
          l.flat(),
        )
      : repos.contentInteraction.list(),
  ]);
  for (const a of acts) add(activities, a.leadId, { type: a.type, occurredAt: a.occurredAt });
  for (const i of touches) if (i.subjectType === 'lead') add(interactions, i.subjectId, { occurredAt: i.occurredAt });
  return {
    activitiesOf: (leadId) => activities.get(leadId) ?? [],
    of: (leadId, asOf) => engagementOf(activities.get(leadId) ?? [], interactions.get(leadId) ?? [], asOf),
  };
}

async function leadCustomFeatures(repos: Repositories) {
  const defs = await repos.customField.list();
  return customFieldFeatures(defs.filter((d) => d.entityKind === 'lead' && d.active));
}

/** Trains the scorer from the closed leads on this device (the prior when there are too few). */
export async function trainLeadModel(
  repos: Repositories,
  now = new Date(),
  engagementIndex?: EngagementIndex,
): Promise<LeadScorer> {
  const closed = (await Promise.all(CLOSED_STATUSES.map((status) => repos.lead.list({ where: { status } })))).flat();
  await yieldToIdle();
  const engagement = engagementIndex ?? (await readEngagement(repos));
  await yieldToIdle();
  const examples: LabelledExample[] = closed.flatMap((lead) => {
    const label = leadOutcome(lead.status);
    if (label === undefined) return [];
    const asOf = scoringTimeOf(lead, engagement.activitiesOf(lead.id), now);
    return [{ raw: leadExample(lead, engagement.of(lead.id, asOf)), label }];
  });
  return trainLeadOffThread(examples, await leadCustomFeatures(repos), now);
}

/** A stored model, or undefined when there is none or it is not a classifier. */
export function asClassifier(value: unknown): Classifier | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Partial<Classifier>;
  if (c.basis !== 'trained' && c.basis !== 'prior') return undefined;
  if (typeof c.trainedAt !== 'string' || !Number.isFinite(c.examples)) return undefined;
  if (!c.space || !Array.isArray(c.space.columns) || !c.model || !Array.isArray(c.model.weights)) return undefined;
  if (!Array.isArray(c.specs)) return undefined;
  return value as Classifier;
}

/**
 * What a stored lead model says of its own skill (LeadScorer): weak when it barely beat the
 * average on held-out leads. A model stored before the skill was measured says nothing (undefined).
 */
export function leadModelSignal(
  model: unknown,
): { signal: LeadScorer['signal']; heldOutAuc?: number; skill?: number } | undefined {
  if (typeof model !== 'object' || model === null) return undefined;
  const m = model as Partial<LeadScorer>;
  if (m.signal !== 'weak' && m.signal !== 'strong') return undefined;
  return {
    signal: m.signal,
    ...(Number.isFinite(m.heldOutAuc) ? { heldOutAuc: m.heldOutAuc } : {}),
    ...(Number.isFinite(m.skill) ? { skill: m.skill } : {}),
  };
}

export async function loadLeadModel(rx: CrmRxDatabase): Promise<Classifier | undefined> {
  const doc = await rx.getLocal<{ classifier: unknown }>(MODEL_KEY);
  return asClassifier(doc?.toJSON().data.classifier);
}

export async function saveLeadModel(rx: CrmRxDatabase, classifier: Classifier): Promise<void> {
  // Local documents hold JSON; the classifier is plain JSON by design (classifier.ts).
  await rx.upsertLocal(MODEL_KEY, { classifier: JSON.parse(JSON.stringify(classifier)) });
}

export function observeLeadModel(rx: CrmRxDatabase, onModel: (model: Classifier | undefined) => void) {
  return rx.getLocal$<{ classifier: unknown }>(MODEL_KEY).subscribe((doc) => {
    onModel(asClassifier(doc?.toJSON().data.classifier));
  });
}

export interface RescoreProgress {
  readonly phase: 'reading' | 'scoring' | 'writing';
  readonly done: number;
  readonly total: number;
}

export interface RescoreOptions {
  readonly now?: () => Date;
  /** Leads scored between pauses for the page (scoring is synchronous work). */
  readonly chunk?: number;
  /** Every lead's engagement, already read (a retrain reads it once to train and re-score). */
  readonly engagement?: EngagementIndex;
  readonly onDecision?: (id: string, d: RescoreDecision) => void;
  readonly onProgress?: (progress: RescoreProgress) => void;
}

/**
 * Scores the given leads with `classifier` and writes the new scores where rescoreDecision allows
 * (owner's device, changed). One read of the leads, one of their engagement (or the one given),
 * scoring in chunks with a pause for the page between them, then one bulk write of the scores
 * that changed (validated and audited as any repository write). Returns how many were written.
 */
export async function rescoreLeads(
  repos: Repositories,
  classifier: Classifier,
  leadIds: readonly string[],
  context: RescoreContext,
  options: RescoreOptions = {},
): Promise<number> {
  const chunk = options.chunk ?? 50;
  const now = options.now ?? (() => new Date());
  const total = leadIds.length;
  options.onProgress?.({ phase: 'reading', done: 0, total });
  const [leads, engagement] = await Promise.all([
    repos.lead.getMany(leadIds),
    options.engagement ?? readEngagement(repos, leadIds),
  ]);
  const asOf = now();
  const changes: { id: string; patch: Extract<RescoreDecision, { write: true }>['patch'] }[] = [];
  for (let start = 0; start < leads.length; start += chunk) {
    for (const lead of leads.slice(start, start + chunk)) {
      const score = scoreLead(classifier, leadExample(lead, engagement.of(lead.id, asOf)));
      const factors = toScoreFactors(score, classifier);
      const decision = rescoreDecision(lead, { score: score.score, factors }, context, asOf);
      options.onDecision?.(lead.id, decision);
      if (decision.write) changes.push({ id: lead.id, patch: decision.patch });
    }
    options.onProgress?.({ phase: 'scoring', done: Math.min(start + chunk, leads.length), total });
    await yieldToIdle();
  }
  options.onProgress?.({ phase: 'writing', done: 0, total: changes.length });
  const result = await repos.lead.bulkUpdate(changes);
  // One lead that no longer validates (e.g. synced in half-edited) must not stop the rest.
  for (const { id, error } of result.rejected)
    console.warn(`[insights] could not write the score of lead ${id}`, error);
  options.onProgress?.({ phase: 'writing', done: result.written.length, total: changes.length });
  return result.written.length;
}

/** The open leads this device may score: the user's own, or all of them in demo mode. */
export async function scorableLeadIds(repos: Repositories, context: RescoreContext): Promise<string[]> {
  const lists = await Promise.all(
    OPEN_LEAD_STATUSES.map((status) =>
      repos.lead.list({ where: context.mode === 'demo' ? { status } : { status, ownerId: context.userId } }),
    ),
  );
  return lists.flat().map((l) => l.id);
}
