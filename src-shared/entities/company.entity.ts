import { defineEntity } from '../schema/define-entity';
import { f } from '../schema/field';
import { LEAD_SOURCES } from './enums';

export const companyEntity = defineEntity({
  name: 'company',
  label: 'Company',
  plural: 'Companies',
  description: 'An organisation: prospect, customer or partner, with its parent in a hierarchy.',
  table: 'companies',
  collection: 'companies',
  version: 1,
  owner: 'assigned',
  display: ['name'],
  customizable: true,
  fields: {
    name: f.string({ required: true, maxLength: 200, label: 'Name' }),
    domain: f.string({ maxLength: 253, label: 'Domain' }),
    website: f.url({ label: 'Website' }),
    industry: f.string({ maxLength: 100, label: 'Industry' }),
    type: f.enum(['prospect', 'customer', 'partner', 'competitor', 'vendor', 'other'], {
      required: true,
      default: 'prospect',
      label: 'Type',
    }),
    status: f.enum(['active', 'inactive', 'archived'], { required: true, default: 'active', label: 'Status' }),
    parentCompanyId: f.ref('company', { label: 'Parent company' }),
    employeeCount: f.integer({ min: 0, max: 10_000_000, label: 'Employees' }),
    annualRevenue: f.money('revenueCurrency', { min: 0, label: 'Annual revenue' }),
    revenueCurrency: f.currency({ label: 'Revenue currency' }),
    foundedYear: f.integer({ min: 1000, max: 2100, label: 'Founded' }),
    phone: f.phone({ label: 'Phone' }),
    addressLine1: f.string({ maxLength: 200, label: 'Address' }),
    city: f.string({ maxLength: 100, label: 'City' }),
    region: f.string({ maxLength: 100, label: 'Region' }),
    postalCode: f.string({ maxLength: 20, label: 'Postal code' }),
    country: f.string({ maxLength: 100, label: 'Country' }),
    linkedinUrl: f.url({ label: 'LinkedIn' }),
    source: f.enum(LEAD_SOURCES, { label: 'Source' }),
    description: f.text({ maxLength: 5000, label: 'Description' }),
    tags: f.tags({ label: 'Tags' }),
  },
  indexes: [
    ['ownerId', 'isDeleted', 'newest'],
    ['status', 'isDeleted', 'newest'],
    ['isDeleted', 'newest'],
    // Subsidiaries (optional field: equality lookups only); the list's type filter.
    ['parentCompanyId', 'isDeleted', 'newest'],
    ['type', 'isDeleted', 'newest'],
  ],
  rules: [
    (r) =>
      r.parentCompanyId !== undefined && r.parentCompanyId === r.id
        ? [{ field: 'parentCompanyId', problem: 'a company cannot be its own parent' }]
        : [],
    (r) =>
      r.annualRevenue !== undefined && r.revenueCurrency === undefined
        ? [{ field: 'revenueCurrency', problem: 'is required with an annual revenue' }]
        : [],
  ],
});

export const companyResearchEntity = defineEntity({
  name: 'companyResearch',
  label: 'Company research',
  plural: 'Company research',
  description: 'AI-generated or manual insights about a company, with their source and confidence.',
  table: 'company_research',
  collection: 'research',
  version: 0,
  owner: 'parent',
  parentField: 'companyId',
  display: ['title'],
  fields: {
    companyId: f.ref('company', { required: true, label: 'Company' }),
    title: f.string({ required: true, maxLength: 200, label: 'Title' }),
    summary: f.text({ required: true, maxLength: 20_000, label: 'Summary' }),
    source: f.enum(['ai', 'manual', 'web', 'import'], { required: true, default: 'manual', label: 'Source' }),
    model: f.string({ maxLength: 100, label: 'Model' }),
    status: f.enum(['draft', 'final', 'stale'], { required: true, default: 'final', label: 'Status' }),
    topics: f.tags({ label: 'Topics' }),
    insights: f.json({ label: 'Insights' }),
    confidence: f.percent({ label: 'Confidence' }),
    researchedAt: f.datetime({ required: true, label: 'Researched at' }),
  },
  indexes: [['companyId', 'isDeleted', 'newest']],
});

export const socialProfileEntity = defineEntity({
  name: 'socialProfile',
  label: 'Social profile',
  plural: 'Social profiles',
  description: 'A contact\u2019s or company\u2019s profile on a social network.',
  table: 'social_profiles',
  collection: 'research',
  version: 0,
  owner: 'parent',
  parentField: 'subjectId',
  display: ['platform', 'handle'],
  fields: {
    subjectType: f.enum(['contact', 'company', 'lead'], { required: true, label: 'Belongs to' }),
    subjectId: f.ref('*', { required: true, label: 'Record' }),
    platform: f.enum(['linkedin', 'twitter', 'facebook', 'instagram', 'github', 'youtube', 'tiktok', 'other'], {
      required: true,
      label: 'Platform',
    }),
    url: f.url({ required: true, pii: true, label: 'Profile URL' }),
    handle: f.string({ maxLength: 100, pii: true, label: 'Handle' }),
    followers: f.integer({ min: 0, max: 10_000_000_000, label: 'Followers' }),
    verified: f.boolean({ label: 'Verified' }),
    lastActivityAt: f.datetime({ label: 'Last activity' }),
  },
  indexes: [['subjectId', 'isDeleted', 'newest']],
});
