import type { LEAD_SOURCES } from '../../../src-shared/entities/enums';
import { leadActivityEntity, leadEntity } from '../../../src-shared/entities/lead.entity';
import { takeTurn } from '../automation/round-robin';
import type { Queryable } from '../db/database';
import { HttpError } from '../http/errors';
import { selectForUpdate } from '../sync/row-writer';
import { createdFields, IntegrationWriteError, writeAudited } from './server-write';

/**
 * A website form post turned into a lead (lead-capture.routes.ts checks the request first):
 * - deduplicated by email (case-insensitive, live leads): a known address gets a 'formSubmitted'
 *   activity and its lastActivityAt, and only the fields it lacks filled in, never a second lead;
 *   concurrent posts of one address take turns on an advisory lock, so two never both create;
 * - attributed: utm_source / utm_medium / utm_campaign to the lead's UTM fields, the campaign (the
 *   form's `campaign`, else utm_campaign, else the form's configured one), the page to
 *   sourceDetail; utm_term, utm_content, page, referrer and the form in the activity's details;
 * - assigned: to the next member of the form's `assignGroupId` (the automation's round-robin, the
 *   same rotation workflows use), else its `ownerId`, else the form's owner; and, as a write like
 *   any other, it feeds the automation outbox, so "new lead" routing workflows run on it too;
 * - visible on devices at their next pull (the push's row writer), audited as 'lead-capture'.
 */

export interface LeadCaptureForm {
  id: string;
  name: string;
  ownerId: string;
  assignGroupId?: string;
  defaultOwnerId?: string;
  source: (typeof LEAD_SOURCES)[number];
  campaign?: string;
}

export interface LeadCaptureInput {
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  company?: string;
  jobTitle?: string;
  message?: string;
  campaign?: string;
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
  utmTerm?: string;
  utmContent?: string;
  page?: string;
  referrer?: string;
}

export interface CaptureResult {
  leadId: string;
  created: boolean;
  /** txids per collection for the change feed. */
  committed: { leads?: string; activities?: string };
}

/** The form's field name of a lead field, for an error a website developer can act on. */
const FORM_FIELD: Record<string, string> = {
  firstName: 'firstName',
  lastName: 'lastName',
  email: 'email',
  phone: 'phone',
  companyName: 'company',
  jobTitle: 'jobTitle',
  description: 'message',
  campaign: 'campaign',
  sourceDetail: 'page',
  utmSource: 'utm_source',
  utmMedium: 'utm_medium',
  utmCampaign: 'utm_campaign',
};

const clip = (value: string | undefined, max: number) => (value === undefined ? undefined : value.slice(0, max));

const compact = (doc: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined && v !== ''));

async function ownerFor(tx: Queryable, form: LeadCaptureForm): Promise<string> {
  if (form.assignGroupId) {
    const next = await takeTurn(tx, form.assignGroupId);
    if (next) return next;
  }
  return form.defaultOwnerId ?? form.ownerId;
}

async function existingLead(tx: Queryable, email: string) {
  // One capture per address at a time: a second post of the same address waits and then finds the lead.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`lead-capture:${email.toLowerCase()}`]);
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM leads WHERE lower(email) = lower($1) AND NOT is_deleted AND NOT sync_removed
     ORDER BY created_at, id LIMIT 1`,
    [email],
  );
  return rows[0] === undefined ? undefined : selectForUpdate(tx, leadEntity, rows[0].id);
}

export async function captureLead(
  tx: Queryable,
  form: LeadCaptureForm,
  input: LeadCaptureInput,
  context: { now: Date; newId: () => string },
): Promise<CaptureResult> {
  const stamp = {
    actorId: form.ownerId,
    deviceId: 'lead-capture',
    reason: `website form "${form.name}" (${form.id})`,
    now: context.now,
    newId: context.newId,
  };
  const at = context.now.toISOString();
  const attribution = compact({
    campaign: clip(input.campaign ?? input.utmCampaign ?? form.campaign, 200),
    utmSource: clip(input.utmSource, 100),
    utmMedium: clip(input.utmMedium, 100),
    utmCampaign: clip(input.utmCampaign, 100),
    sourceDetail: clip(input.page, 200),
  });
  const person = compact({
    firstName: input.firstName,
    lastName: input.lastName,
    phone: input.phone,
    companyName: input.company,
    jobTitle: input.jobTitle,
  });
  try {
    const current = await existingLead(tx, input.email);
    let lead: Record<string, unknown>;
    let created = false;
    const committed: CaptureResult['committed'] = {};
    if (current) {
      // What the lead lacks is filled in; what a rep already knows is never overwritten by a form.
      const missing = Object.fromEntries(
        Object.entries({ ...person, ...attribution }).filter(([k]) => current[k] === undefined || current[k] === null),
      );
      lead = { ...current, ...missing, lastActivityAt: at, updatedAt: at, updatedBy: form.ownerId };
      committed.leads = await writeAudited(tx, leadEntity, current, lead, stamp);
    } else {
      const ownerId = await ownerFor(tx, form);
      lead = {
        ...createdFields(context.newId(), 'lead', ownerId, form.ownerId, context.now),
        lastName: input.lastName ?? input.email.split('@')[0],
        ...person,
        email: input.email,
        ...attribution,
        ...(input.message ? { description: input.message.slice(0, 5000) } : {}),
        source: form.source,
        status: 'new',
        score: 0,
        lastActivityAt: at,
      };
      committed.leads = await writeAudited(tx, leadEntity, undefined, lead, stamp);
      created = true;
    }
    const activity = {
      ...createdFields(context.newId(), 'leadActivity', String(lead.ownerId), form.ownerId, context.now),
      leadId: lead.id,
      type: 'formSubmitted',
      subject: `Form "${form.name}"`.slice(0, 200),
      ...(input.message ? { description: input.message.slice(0, 5000) } : {}),
      occurredAt: at,
      channel: 'website',
      metadata: compact({
        formId: form.id,
        page: input.page,
        referrer: input.referrer,
        utmSource: input.utmSource,
        utmMedium: input.utmMedium,
        utmCampaign: input.utmCampaign,
        utmTerm: input.utmTerm,
        utmContent: input.utmContent,
        campaign: input.campaign,
      }),
    };
    committed.activities = await writeAudited(tx, leadActivityEntity, undefined, activity, stamp);
    return { leadId: String(lead.id), created, committed };
  } catch (error) {
    if (error instanceof IntegrationWriteError) {
      throw new HttpError(
        400,
        `${FORM_FIELD[error.field] ?? error.field} ${error.problem}`,
        FORM_FIELD[error.field] ?? error.field,
      );
    }
    throw error;
  }
}
