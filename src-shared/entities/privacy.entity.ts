import { defineEntity, type FieldProblem } from '../schema/define-entity';
import { f } from '../schema/field';
import { communicationEntity } from './content.entity';
import { leadEntity } from './lead.entity';

/** Channels a person can be contacted on, each with its own consent (ePrivacy treats them apart). */
export const CONSENT_CHANNELS = ['email', 'phone', 'sms', 'post'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** GDPR Art. 6(1)'s lawful bases, (a) to (f). */
export const LEGAL_BASES = [
  'consent',
  'contract',
  'legalObligation',
  'vitalInterests',
  'publicTask',
  'legitimateInterest',
] as const;

/** Records retention policies can remove or anonymise; `auditLog` only by deletion from the chain's start. */
export const RETENTION_TARGETS = ['lead', 'contact', 'communication', 'leadActivity', 'note', 'auditLog'] as const;
export type RetentionTarget = (typeof RETENTION_TARGETS)[number];

export const RETENTION_ACTIONS = ['delete', 'anonymise'] as const;
export const AGE_UNITS = ['days', 'months', 'years'] as const;

/**
 * GDPR Art. 7(1): the controller must be able to demonstrate consent, so a grant on the basis of
 * consent carries its proof (the form's wording, a recording's reference, a link).
 */
function consentRules(r: Readonly<Record<string, unknown>>): FieldProblem[] {
  if (r.status !== 'granted' || r.legalBasis !== 'consent') return [];
  const has = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  return has(r.proofText) || has(r.proofUrl)
    ? []
    : [{ field: 'proofText', problem: 'is required for consent given on the basis of consent: say how it was given' }];
}

/**
 * One statement about a person's permission to be contacted on a channel. A change is a new record,
 * never an edit: the latest record per (person, channel) is the channel's state, the older ones its
 * history, and two devices recording offline never conflict.
 */
export const consentEntity = defineEntity({
  name: 'consent',
  label: 'Consent',
  plural: 'Consents',
  description: 'A person’s permission to be contacted on a channel, given or withdrawn, with basis, source and proof.',
  table: 'consents',
  collection: 'settings',
  version: 0,
  owner: 'parent',
  parentField: 'subjectId',
  display: ['channel', 'status'],
  fields: {
    subjectType: f.enum(['contact', 'lead'], { required: true, label: 'Who' }),
    subjectId: f.ref('*', { required: true, label: 'Person' }),
    channel: f.enum(CONSENT_CHANNELS, { required: true, label: 'Channel' }),
    status: f.enum(['granted', 'withdrawn'], { required: true, label: 'Status' }),
    legalBasis: f.enum(LEGAL_BASES, { required: true, default: 'consent', label: 'Legal basis' }),
    source: f.string({ required: true, maxLength: 200, label: 'Source' }),
    /** When the person gave or withdrew it (not when it was typed in: `createdAt` says that). */
    at: f.datetime({ required: true, label: 'When' }),
    proofText: f.text({ maxLength: 5000, pii: true, label: 'Proof' }),
    proofUrl: f.url({ label: 'Proof link' }),
  },
  indexes: [['subjectId', 'isDeleted', 'newest']],
  rules: [consentRules],
});

function policyRules(r: Readonly<Record<string, unknown>>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const hasPii = r.target === 'lead' || r.target === 'contact' || r.target === 'communication';
  if (r.action === 'anonymise' && !hasPii) {
    problems.push({
      field: 'action',
      problem: `must be delete: ${String(r.target)} has no personal fields to anonymise`,
    });
  }
  if (r.status !== undefined && r.target !== 'lead' && r.target !== 'communication') {
    problems.push({ field: 'status', problem: 'can only narrow a lead or communication policy' });
  }
  if (r.status !== undefined && r.target === 'lead' && !LEAD_STATUSES.includes(String(r.status))) {
    problems.push({ field: 'status', problem: `must be a lead status: ${LEAD_STATUSES.join(', ')}` });
  }
  if (r.status !== undefined && r.target === 'communication' && !COMMUNICATION_STATUSES.includes(String(r.status))) {
    problems.push({ field: 'status', problem: `must be a communication status: ${COMMUNICATION_STATUSES.join(', ')}` });
  }
  // The audit trail is evidence: a policy cannot keep it for less than a year.
  if (r.target === 'auditLog' && typeof r.age === 'number' && ageInDays(r.age, String(r.ageUnit)) < 365) {
    problems.push({ field: 'age', problem: 'must keep the audit log at least 1 year' });
  }
  return problems;
}

const LEAD_STATUSES: readonly string[] = leadEntity.fields.status.values;
const COMMUNICATION_STATUSES: readonly string[] = communicationEntity.fields.status.values;

/** An age in days, months counted as 30 and years as 365 only for comparing policies (runs use calendar dates). */
function ageInDays(age: number, unit: string): number {
  return unit === 'years' ? age * 365 : unit === 'months' ? age * 30 : age;
}

/**
 * An administrator's rule for how long records of one kind are kept: those older than `age` (and,
 * for leads and communications, in `status`) are deleted or anonymised by the server's retention
 * runs (sync-server/src/retention), which reach devices as ordinary changes.
 */
export const retentionPolicyEntity = defineEntity({
  name: 'retentionPolicy',
  label: 'Retention policy',
  plural: 'Retention policies',
  description: 'How long records of one kind are kept before the server deletes or anonymises them.',
  table: 'retention_policies',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['name'],
  fields: {
    name: f.string({ required: true, maxLength: 120, label: 'Name' }),
    target: f.enum(RETENTION_TARGETS, { required: true, label: 'Records' }),
    status: f.string({ maxLength: 40, label: 'Only with status' }),
    age: f.integer({ required: true, min: 1, max: 1200, label: 'Older than' }),
    ageUnit: f.enum(AGE_UNITS, { required: true, default: 'months', label: 'Unit' }),
    action: f.enum(RETENTION_ACTIONS, { required: true, label: 'Action' }),
    enabled: f.boolean({ required: true, default: true, label: 'Enabled' }),
    description: f.text({ maxLength: 2000, label: 'Why' }),
  },
  indexes: [['isDeleted', 'newest']],
  rules: [policyRules],
});
