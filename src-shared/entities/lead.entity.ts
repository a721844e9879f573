import { defineEntity, SCORE_MAX } from '../schema/define-entity';
import { f } from '../schema/field';
import { LEAD_SOURCES } from './enums';

export const leadEntity = defineEntity({
  name: 'lead',
  label: 'Lead',
  plural: 'Leads',
  description: 'A prospect not yet qualified, with where it came from, its score and its owner.',
  table: 'leads',
  collection: 'leads',
  version: 1,
  owner: 'assigned',
  display: ['firstName', 'lastName'],
  customizable: true,
  fields: {
    firstName: f.string({ pii: true, maxLength: 100, label: 'First name' }),
    lastName: f.string({ required: true, pii: true, maxLength: 100, label: 'Last name' }),
    email: f.email({ pii: true, label: 'Email' }),
    phone: f.phone({ pii: true, label: 'Phone' }),
    jobTitle: f.string({ maxLength: 120, label: 'Job title' }),
    companyName: f.string({ maxLength: 200, label: 'Company' }),
    companyDomain: f.string({ maxLength: 253, label: 'Company domain' }),
    industry: f.string({ maxLength: 100, label: 'Industry' }),
    employeeCount: f.integer({ min: 0, max: 10_000_000, label: 'Employees' }),
    country: f.string({ maxLength: 100, label: 'Country' }),
    source: f.enum(LEAD_SOURCES, { required: true, default: 'other', label: 'Source' }),
    sourceDetail: f.string({ maxLength: 200, label: 'Source detail' }),
    campaign: f.string({ maxLength: 200, label: 'Campaign' }),
    utmSource: f.string({ maxLength: 100, label: 'UTM source' }),
    utmMedium: f.string({ maxLength: 100, label: 'UTM medium' }),
    utmCampaign: f.string({ maxLength: 100, label: 'UTM campaign' }),
    status: f.enum(['new', 'contacted', 'nurturing', 'qualified', 'unqualified', 'converted', 'lost'], {
      required: true,
      default: 'new',
      label: 'Status',
    }),
    score: f.integer({ required: true, default: 0, min: 0, max: SCORE_MAX, label: 'Score' }),
    scoreFactors: f.json({ label: 'Score factors' }),
    scoredAt: f.datetime({ label: 'Scored at' }),
    rating: f.enum(['hot', 'warm', 'cold'], { label: 'Rating' }),
    estimatedValue: f.money('currency', { min: 0, label: 'Estimated value' }),
    currency: f.currency({ label: 'Currency' }),
    lastActivityAt: f.datetime({ label: 'Last activity' }),
    convertedAt: f.datetime({ label: 'Converted at' }),
    convertedContactId: f.ref('contact', { label: 'Converted contact' }),
    convertedCompanyId: f.ref('company', { label: 'Converted company' }),
    convertedDealId: f.ref('deal', { label: 'Converted deal' }),
    lostReason: f.string({ maxLength: 500, label: 'Lost reason' }),
    description: f.text({ maxLength: 5000, pii: true, label: 'Description' }),
    tags: f.tags({ label: 'Tags' }),
  },
  indexes: [
    ['ownerId', 'status', 'isDeleted', 'newest'],
    ['status', 'isDeleted', 'newest'],
    ['isDeleted', 'newest'],
    // The inbox: highest score first (then newest), by status or all (ListOptions order 'score').
    ['status', 'isDeleted', 'scoreRank', 'newest'],
    ['isDeleted', 'scoreRank', 'newest'],
  ],
  derived: {
    scoreRank: {
      field: f.integer({ required: true, min: 0, max: SCORE_MAX, label: 'Score rank' }),
      // Out-of-range scores are the validator's to refuse; clamp so the rank never hides that.
      from: (r) => SCORE_MAX - Math.min(SCORE_MAX, Math.max(0, Math.trunc(Number(r.score ?? 0)) || 0)),
    },
  },
  rules: [
    (r) =>
      r.status === 'converted' && r.convertedContactId === undefined
        ? [{ field: 'convertedContactId', problem: 'is required when the lead is converted' }]
        : [],
    (r) =>
      r.status === 'converted' && r.convertedAt === undefined
        ? [{ field: 'convertedAt', problem: 'is required when the lead is converted' }]
        : [],
    (r) =>
      r.estimatedValue !== undefined && r.currency === undefined
        ? [{ field: 'currency', problem: 'is required with an estimated value' }]
        : [],
  ],
});

export const leadListEntity = defineEntity({
  name: 'leadList',
  label: 'Lead list',
  plural: 'Lead lists',
  description: 'A named collection of leads for a campaign, event or workflow.',
  table: 'lead_lists',
  collection: 'settings',
  version: 0,
  owner: 'creator',
  display: ['name'],
  fields: {
    name: f.string({ required: true, maxLength: 120, label: 'Name' }),
    description: f.text({ maxLength: 2000, label: 'Description' }),
    type: f.enum(['static', 'dynamic'], { required: true, default: 'static', label: 'Type' }),
    purpose: f.enum(['campaign', 'nurture', 'event', 'workflow', 'other'], { label: 'Purpose' }),
    criteria: f.json({ label: 'Criteria' }),
  },
  indexes: [['isDeleted', 'newest']],
});

export const leadListMemberEntity = defineEntity({
  name: 'leadListMember',
  label: 'Lead list member',
  plural: 'Lead list members',
  description: 'A lead\u2019s membership of a lead list.',
  table: 'lead_list_members',
  collection: 'leads',
  version: 0,
  owner: 'parent',
  parentField: 'leadId',
  display: ['leadId'],
  fields: {
    leadListId: f.ref('leadList', { required: true, label: 'List' }),
    leadId: f.ref('lead', { required: true, label: 'Lead' }),
    addedAt: f.datetime({ required: true, label: 'Added' }),
  },
  indexes: [
    ['leadListId', 'isDeleted', 'newest'],
    ['leadId', 'isDeleted', 'newest'],
  ],
});

export const leadActivityEntity = defineEntity({
  name: 'leadActivity',
  label: 'Lead activity',
  plural: 'Lead activities',
  description: 'A touchpoint with a lead: email opened, form submitted, call, meeting, status change.',
  table: 'lead_activities',
  collection: 'activities',
  version: 0,
  owner: 'parent',
  parentField: 'leadId',
  display: ['type', 'subject'],
  fields: {
    leadId: f.ref('lead', { required: true, label: 'Lead' }),
    type: f.enum(
      [
        'emailSent',
        'emailOpened',
        'emailClicked',
        'emailReplied',
        'formSubmitted',
        'pageVisited',
        'call',
        'meeting',
        'demo',
        'webinarAttended',
        'contentDownloaded',
        'statusChanged',
        'other',
      ],
      { required: true, label: 'Type' },
    ),
    subject: f.string({ maxLength: 200, label: 'Subject' }),
    description: f.text({ maxLength: 5000, label: 'Description' }),
    occurredAt: f.datetime({ required: true, label: 'When' }),
    channel: f.string({ maxLength: 60, label: 'Channel' }),
    durationMinutes: f.integer({ min: 0, max: 10_000, label: 'Duration (min)' }),
    outcome: f.string({ maxLength: 200, label: 'Outcome' }),
    scoreDelta: f.integer({ min: -100, max: 100, label: 'Score change' }),
    metadata: f.json({ label: 'Details' }),
  },
  indexes: [['leadId', 'isDeleted', 'newest']],
});
