import type { Classifier } from '../../../src-shared/ai/classifier';
import type { LeadScore } from '../../../src-shared/ai/lead-scoring';

/**
 * What a lead's `scoreFactors` holds once the on-device model scored it (the shape the Leads
 * screen reads, and what syncs so a manager sees the reasons the rep saw):
 *
 *   {
 *     basis: 'trained' | 'prior',              // 'prior': too little history, built-in weights
 *     model: { trainedAt: ISO time, examples }, // which model: when it learnt, from how many outcomes
 *     positive: [{ label, effect }],           // strongest reasons for, strongest first
 *     negative: [{ label, effect }],           // strongest reasons against (effect < 0)
 *     signal?: 'weak',                         // the model's held-out skill is too low to trust
 *   }
 *
 * `effect` is the push on the log-odds against an average lead, rounded to 2 decimals. The demo
 * data's older shape ({ engagement, sourceQuality, fit } on 0–100) is still read by the screen.
 */
// A type alias, not an interface: it must be assignable to the json field's JsonValue.
export type ScoreFactor = { label: string; effect: number };
export type ModelScoreFactors = {
  basis: Classifier['basis'];
  model: { trainedAt: string; examples: number };
  positive: ScoreFactor[];
  negative: ScoreFactor[];
  /** 'weak': the model barely beat the average on held-out leads (LeadScorer); absent otherwise. */
  signal?: 'weak';
};

export type Rating = 'hot' | 'warm' | 'cold';

/** The same cut-offs as the inbox's colours (scoreBand in features/leads). */
export function ratingOf(score: number): Rating {
  return score >= 70 ? 'hot' : score >= 40 ? 'warm' : 'cold';
}

const round2 = (n: number) => Math.round(n * 100) / 100;

const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * A factor's label as a person reads it: the model writes "Feature: raw value" (classifier.ts), so
 * "Days open: 71.9482891087963" becomes "Days open: 72", "Amount (USD): 167792.03" becomes
 * "Amount (USD): 167,792" and "Deal type: newBusiness" becomes "Deal type: new business".
 */
export function readableFactor(label: string): string {
  const at = label.lastIndexOf(': ');
  if (at < 0) return label;
  const name = label.slice(0, at);
  const value = label.slice(at + 2);
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) {
    const digits = Math.abs(n) >= 10 || Number.isInteger(n) ? 0 : Math.abs(n) >= 1 ? 1 : 2;
    const shown =
      /rate/i.test(name) && Math.abs(n) <= 1
        ? `${Math.round(n * 100)}%`
        : n.toLocaleString('en', { maximumFractionDigits: digits });
    return `${name}: ${shown}`;
  }
  return /^[a-z]+[A-Z]/.test(value) ? `${name}: ${words(value)}` : label;
}

export function toScoreFactors(
  score: LeadScore,
  classifier: Pick<Classifier, 'trainedAt' | 'examples'> & { readonly signal?: 'strong' | 'weak' },
): ModelScoreFactors {
  return {
    basis: score.basis,
    model: { trainedAt: classifier.trainedAt, examples: classifier.examples },
    positive: score.positive.map((f) => ({ label: readableFactor(f.label), effect: round2(f.effect) })),
    negative: score.negative.map((f) => ({ label: readableFactor(f.label), effect: round2(f.effect) })),
    // The prior has its own message; 'weak' marks a trained model that learnt little.
    ...(classifier.signal === 'weak' && score.basis === 'trained' ? { signal: 'weak' as const } : {}),
  };
}

const isFactorList = (v: unknown): v is ScoreFactor[] =>
  Array.isArray(v) &&
  v.every(
    (f) =>
      typeof f === 'object' &&
      f !== null &&
      typeof (f as ScoreFactor).label === 'string' &&
      Number.isFinite((f as ScoreFactor).effect),
  );

/** The model's factors when `value` is in the model's shape; undefined for anything else. */
export function readModelFactors(value: unknown): ModelScoreFactors | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const model = v.model as Record<string, unknown> | undefined;
  if (v.basis !== 'trained' && v.basis !== 'prior') return undefined;
  if (typeof model !== 'object' || model === null || typeof model.trainedAt !== 'string') return undefined;
  if (!Number.isFinite(model.examples)) return undefined;
  if (!isFactorList(v.positive) || !isFactorList(v.negative)) return undefined;
  return {
    basis: v.basis,
    model: { trainedAt: model.trainedAt, examples: model.examples as number },
    positive: v.positive,
    negative: v.negative,
    ...(v.signal === 'weak' ? { signal: 'weak' as const } : {}),
  };
}

/** The lead fields a re-score reads to decide (all optional: records from sync may be odd). */
export interface ScoredLead {
  readonly id?: unknown;
  readonly ownerId?: unknown;
  readonly isDeleted?: unknown;
  readonly score?: unknown;
  readonly scoreFactors?: unknown;
  readonly rating?: unknown;
}

export interface RescoreContext {
  readonly userId: string;
  readonly mode: 'demo' | 'signed-in';
  /** Whether the user's role may update leads (default yes); the server would refuse the write. */
  readonly canUpdate?: boolean;
}

export type RescoreDecision =
  | {
      readonly write: true;
      readonly patch: { score: number; scoreFactors: ModelScoreFactors; rating: Rating; scoredAt: string };
    }
  | { readonly write: false; readonly why: string };

function sameFactors(a: unknown, b: ModelScoreFactors): boolean {
  const current = readModelFactors(a);
  if (!current) return false;
  const list = (fs: readonly ScoreFactor[]) => fs.map((f) => `${f.label}\u0000${f.effect}`).join('\u0001');
  return (
    current.basis === b.basis &&
    current.signal === b.signal &&
    current.model.trainedAt === b.model.trainedAt &&
    current.model.examples === b.model.examples &&
    list(current.positive) === list(b.positive) &&
    list(current.negative) === list(b.negative)
  );
}

/**
 * Whether this device writes a new score on the lead. Scores are written only on the device of
 * the lead's owner (or in demo mode, where the device is alone): every device computes the same
 * number, but if each wrote it, devices would fight over the same fields through sync. Never over
 * a score from a newer model (the owner's other device). Then only when the score, its rating or
 * its reasons changed, so a re-score that learns nothing writes nothing (no sync traffic, no audit
 * noise, no loop on the lead's own change event).
 */
export function rescoreDecision(
  lead: ScoredLead | undefined,
  next: { score: number; factors: ModelScoreFactors },
  context: RescoreContext,
  now: Date,
): RescoreDecision {
  if (!lead || typeof lead.id !== 'string' || lead.id === '') return { write: false, why: 'no lead' };
  if (lead.isDeleted === true) return { write: false, why: 'deleted' };
  if (!Number.isInteger(next.score) || next.score < 0 || next.score > 100)
    return { write: false, why: `score ${String(next.score)} is not an integer from 0 to 100` };
  if (!readModelFactors(next.factors)) return { write: false, why: 'factors are not in the model shape' };
  if (context.canUpdate === false) return { write: false, why: 'no permission to update leads' };
  if (context.mode !== 'demo') {
    if (!context.userId) return { write: false, why: 'no signed-in user' };
    if (lead.ownerId !== context.userId) return { write: false, why: 'not the owner’s device' };
  }
  // An owner with two devices has two models, trained at different times: the newer one wins, or
  // each device would rewrite the other's score on every sync, forever.
  const current = readModelFactors(lead.scoreFactors);
  if (current && current.model.trainedAt > next.factors.model.trainedAt)
    return { write: false, why: 'scored by a newer model' };
  const rating = ratingOf(next.score);
  if (lead.score === next.score && lead.rating === rating && sameFactors(lead.scoreFactors, next.factors))
    return { write: false, why: 'unchanged' };
  return { write: true, patch: { score: next.score, scoreFactors: next.factors, rating, scoredAt: now.toISOString() } };
}
