/**
 * Churn risk of a customer company, from signals a CRM holds: activity falling off, silence, sour
 * conversations, issues left open, engagement with content dropping, a renewal coming up with no
 * renewal deal in the works. Without a history of churned customers to learn from, the score is a
 * transparent sum of points per signal, each shown as a reason, so a manager can check it.
 */

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 90;

export interface ChurnInputs {
  readonly now: Date;
  /** Communications with the company or its contacts. */
  readonly communications: readonly { occurredAt: string; sentiment?: string }[];
  /** Tasks about the company (open ones count as issues when overdue or urgent). */
  readonly tasks: readonly { status: string; dueAt?: string; priority?: string }[];
  /** Content interactions of the company's contacts. */
  readonly interactions: readonly { occurredAt: string }[];
  readonly deals: readonly { stage: string; type?: string; expectedCloseDate?: string; closedAt?: string }[];
}

export interface ChurnReason {
  readonly label: string;
  /** Points this signal adds to the risk (0–100 in all). */
  readonly points: number;
}

export interface ChurnRisk {
  /** 0–100. */
  readonly risk: number;
  readonly level: 'low' | 'medium' | 'high';
  readonly reasons: readonly ChurnReason[];
}

const within = (iso: string | undefined, from: number, to: number) => {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return t >= from && t < to;
};

function declinePoints(recent: number, previous: number, max: number): number {
  if (previous === 0) return 0;
  const drop = 1 - recent / previous;
  return drop <= 0.2 ? 0 : Math.round(Math.min(1, (drop - 0.2) / 0.6) * max);
}

export function churnRisk(input: ChurnInputs): ChurnRisk {
  const now = input.now.getTime();
  const recentFrom = now - WINDOW_DAYS * DAY_MS;
  const previousFrom = now - 2 * WINDOW_DAYS * DAY_MS;
  const reasons: ChurnReason[] = [];
  const add = (label: string, points: number) => {
    if (points > 0) reasons.push({ label, points });
  };

  const recent = input.communications.filter((c) => within(c.occurredAt, recentFrom, now + 1));
  const previous = input.communications.filter((c) => within(c.occurredAt, previousFrom, recentFrom));
  add(
    `Activity down from ${previous.length} to ${recent.length} in the last ${WINDOW_DAYS} days`,
    declinePoints(recent.length, previous.length, 30),
  );

  const last = Math.max(
    ...input.communications.map((c) => Date.parse(c.occurredAt)).filter(Number.isFinite),
    -Infinity,
  );
  const silentDays = Number.isFinite(last) ? Math.floor((now - last) / DAY_MS) : undefined;
  if (silentDays === undefined) add('No conversation on record', 20);
  else if (silentDays > 45)
    add(`No conversation for ${silentDays} days`, Math.min(25, Math.round((silentDays - 45) / 4)));

  const negative = recent.filter((c) => c.sentiment === 'negative').length;
  if (recent.length > 0 && negative > 0) {
    add(`${negative} of ${recent.length} recent conversations negative`, Math.round((negative / recent.length) * 15));
  }

  const issues = input.tasks.filter(
    (t) =>
      (t.status === 'open' || t.status === 'inProgress' || t.status === 'waiting') &&
      ((t.dueAt !== undefined && Date.parse(t.dueAt) < now) || t.priority === 'urgent'),
  ).length;
  add(`${issues} open issue${issues === 1 ? '' : 's'} overdue or urgent`, Math.min(15, issues * 5));

  const recentEngagement = input.interactions.filter((i) => within(i.occurredAt, recentFrom, now + 1)).length;
  const previousEngagement = input.interactions.filter((i) => within(i.occurredAt, previousFrom, recentFrom)).length;
  add(
    `Content engagement down from ${previousEngagement} to ${recentEngagement}`,
    declinePoints(recentEngagement, previousEngagement, 10),
  );

  const renewalSoon = input.deals.some(
    (d) => d.stage === 'closedWon' && within(d.expectedCloseDate, now - 365 * DAY_MS, now - 275 * DAY_MS),
  );
  const renewalOpen = input.deals.some(
    (d) => d.type === 'renewal' && d.stage !== 'closedWon' && d.stage !== 'closedLost',
  );
  if (renewalSoon && !renewalOpen) add('A year since the last win and no renewal deal open', 10);

  const risk = Math.min(
    100,
    reasons.reduce((sum, r) => sum + r.points, 0),
  );
  return {
    risk,
    level: risk >= 50 ? 'high' : risk >= 25 ? 'medium' : 'low',
    reasons: reasons.sort((a, b) => b.points - a.points),
  };
}
