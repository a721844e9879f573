import { defineEntity } from '../schema/define-entity';
import { f } from '../schema/field';
import { CUSTOM_FIELD_TYPES, CUSTOMIZABLE_KINDS } from './enums';

export const customFieldEntity = defineEntity({
  name: 'customField',
  label: 'Custom field',
  plural: 'Custom fields',
  description: 'An organisation-defined field on contacts, companies, leads or deals.',
  table: 'custom_fields',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['label'],
  fields: {
    entityKind: f.enum(CUSTOMIZABLE_KINDS, { required: true, label: 'Entity' }),
    key: f.string({ required: true, maxLength: 60, label: 'Key' }),
    label: f.string({ required: true, maxLength: 100, label: 'Label' }),
    fieldType: f.enum(CUSTOM_FIELD_TYPES, { required: true, label: 'Field type' }),
    options: f.tags({ label: 'Options' }),
    required: f.boolean({ required: true, default: false, label: 'Required' }),
    description: f.string({ maxLength: 500, label: 'Help text' }),
    position: f.integer({ min: 0, max: 10_000, label: 'Position' }),
    active: f.boolean({ required: true, default: true, label: 'Active' }),
  },
  indexes: [['isDeleted', 'newest']],
  rules: [
    (r) =>
      typeof r.key === 'string' && !/^[a-z][a-zA-Z0-9_]*$/.test(r.key)
        ? [{ field: 'key', problem: 'must start with a lower-case letter and contain only letters, digits and _' }]
        : [],
    (r) =>
      r.fieldType === 'enum' && (!Array.isArray(r.options) || r.options.length === 0)
        ? [{ field: 'options', problem: 'an enum field needs at least one option' }]
        : [],
  ],
});

/**
 * Custom field values live inside their record (`customFields` map), so a record and its values
 * sync, conflict-merge and audit as one. Postgres exposes them as the view `custom_field_values`.
 */
export const customFieldValueEntity = defineEntity({
  name: 'customFieldValue',
  label: 'Custom field value',
  plural: 'Custom field values',
  description: 'The value of a custom field on one record.',
  table: 'custom_field_values',
  version: 0,
  owner: 'parent',
  parentField: 'recordId',
  storage: 'embedded',
  display: ['key'],
  fields: {
    entityKind: f.enum(CUSTOMIZABLE_KINDS, { required: true, label: 'Entity' }),
    recordId: f.ref('*', { required: true, label: 'Record' }),
    key: f.string({ required: true, maxLength: 60, label: 'Key' }),
    value: f.json({ required: true, label: 'Value' }),
  },
});

export const externalIntegrationEntity = defineEntity({
  name: 'externalIntegration',
  label: 'Integration',
  plural: 'Integrations',
  description: 'A connection to a third-party service: mail, calendar, webhooks, enrichment.',
  table: 'external_integrations',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['name'],
  fields: {
    name: f.string({ required: true, maxLength: 120, label: 'Name' }),
    provider: f.enum(
      [
        'webhook',
        'gmail',
        'outlook',
        'slack',
        'zapier',
        'hubspot',
        'salesforce',
        'mailchimp',
        'linkedin',
        'clearbit',
        'openai',
        'other',
      ],
      { required: true, label: 'Provider' },
    ),
    status: f.enum(['active', 'paused', 'error', 'disconnected'], {
      required: true,
      default: 'disconnected',
      label: 'Status',
    }),
    endpointUrl: f.url({ label: 'Endpoint URL' }),
    events: f.tags({ label: 'Events' }),
    scopes: f.tags({ label: 'Scopes' }),
    /** Non-secret settings only; secrets stay on the server or in the OS keychain. */
    config: f.json({ label: 'Settings' }),
    lastSyncAt: f.datetime({ label: 'Last sync' }),
    errorMessage: f.string({ maxLength: 1000, label: 'Last error' }),
  },
  indexes: [['isDeleted', 'newest']],
  rules: [
    (r) =>
      r.provider === 'webhook' && r.endpointUrl === undefined
        ? [{ field: 'endpointUrl', problem: 'is required for a webhook' }]
        : [],
  ],
});
