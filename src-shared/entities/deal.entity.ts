import { defineEntity } from '../schema/define-entity';
import { f } from '../schema/field';
import { DEAL_STAGES, LEAD_SOURCES } from './enums';

const isClosed = (stage: unknown) => stage === 'closedWon' || stage === 'closedLost';

export const dealEntity = defineEntity({
  name: 'deal',
  label: 'Deal',
  plural: 'Deals',
  description: 'A sales opportunity moving through the pipeline stages.',
  table: 'deals',
  collection: 'deals',
  version: 1,
  owner: 'assigned',
  display: ['name'],
  customizable: true,
  fields: {
    name: f.string({ required: true, maxLength: 200, label: 'Name' }),
    companyId: f.ref('company', { label: 'Company' }),
    contactId: f.ref('contact', { label: 'Primary contact' }),
    leadId: f.ref('lead', { label: 'From lead' }),
    stage: f.enum(DEAL_STAGES, { required: true, default: 'prospecting', label: 'Stage' }),
    amount: f.money('currency', { required: true, default: 0, min: 0, label: 'Amount' }),
    currency: f.currency({ required: true, default: 'USD', label: 'Currency' }),
    probability: f.percent({ required: true, default: 10, label: 'Probability' }),
    expectedCloseDate: f.date({ label: 'Expected close' }),
    closedAt: f.datetime({ label: 'Closed at' }),
    stageChangedAt: f.datetime({ label: 'Stage changed' }),
    type: f.enum(['newBusiness', 'expansion', 'renewal'], { label: 'Type' }),
    source: f.enum(LEAD_SOURCES, { label: 'Source' }),
    forecastCategory: f.enum(['pipeline', 'bestCase', 'commit', 'closed', 'omitted'], { label: 'Forecast category' }),
    lossReason: f.string({ maxLength: 500, label: 'Loss reason' }),
    nextStep: f.string({ maxLength: 300, label: 'Next step' }),
    description: f.text({ maxLength: 5000, label: 'Description' }),
    tags: f.tags({ label: 'Tags' }),
  },
  indexes: [
    ['ownerId', 'stage', 'isDeleted', 'newest'],
    ['stage', 'isDeleted', 'newest'],
    ['isDeleted', 'newest'],
    // A company's and a contact's deals (optional fields: equality lookups only).
    ['companyId', 'isDeleted', 'newest'],
    ['contactId', 'isDeleted', 'newest'],
  ],
  rules: [
    (r) =>
      isClosed(r.stage) && r.closedAt === undefined
        ? [{ field: 'closedAt', problem: 'is required when the deal is closed' }]
        : [],
    (r) =>
      r.stage === 'closedLost' && r.probability !== 0
        ? [{ field: 'probability', problem: 'must be 0 for a lost deal' }]
        : [],
    (r) =>
      r.stage === 'closedWon' && r.probability !== 100
        ? [{ field: 'probability', problem: 'must be 100 for a won deal' }]
        : [],
    (r) =>
      !isClosed(r.stage) && r.closedAt !== undefined
        ? [{ field: 'closedAt', problem: 'must be empty while the deal is open' }]
        : [],
  ],
});

export const productEntity = defineEntity({
  name: 'product',
  label: 'Product',
  plural: 'Products',
  description: 'An item of the product catalogue that deals are priced from.',
  table: 'products',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['name'],
  fields: {
    name: f.string({ required: true, maxLength: 120, label: 'Name' }),
    sku: f.string({ maxLength: 60, label: 'SKU' }),
    series: f.string({ maxLength: 60, label: 'Series' }),
    description: f.text({ maxLength: 2000, label: 'Description' }),
    unitPrice: f.money('currency', { required: true, min: 0, label: 'Unit price' }),
    currency: f.currency({ required: true, default: 'USD', label: 'Currency' }),
    active: f.boolean({ required: true, default: true, label: 'Active' }),
  },
  indexes: [['isDeleted', 'newest']],
});

export const dealProductEntity = defineEntity({
  name: 'dealProduct',
  label: 'Deal line item',
  plural: 'Deal line items',
  description: 'A product line on a deal: quantity, price and discount.',
  table: 'deal_products',
  collection: 'deals',
  version: 0,
  owner: 'parent',
  parentField: 'dealId',
  display: ['productId'],
  fields: {
    dealId: f.ref('deal', { required: true, label: 'Deal' }),
    productId: f.ref('product', { required: true, label: 'Product' }),
    quantity: f.number({ required: true, default: 1, min: 0, max: 1_000_000_000, label: 'Quantity' }),
    unitPrice: f.money('currency', { required: true, min: 0, label: 'Unit price' }),
    currency: f.currency({ required: true, label: 'Currency' }),
    discountPercent: f.percent({ label: 'Discount %' }),
    total: f.money('currency', { required: true, min: 0, label: 'Total' }),
    description: f.string({ maxLength: 300, label: 'Description' }),
  },
  indexes: [['dealId', 'isDeleted', 'newest']],
  rules: [
    (r) => {
      const q = Number(r.quantity);
      const price = Number(r.unitPrice);
      const discount = r.discountPercent === undefined ? 0 : Number(r.discountPercent);
      const expected = Math.round(q * price * (1 - discount / 100));
      return Math.abs(expected - Number(r.total)) > 1
        ? [{ field: 'total', problem: `must equal quantity × unit price less discount (${expected})` }]
        : [];
    },
  ],
});

export const dealStageHistoryEntity = defineEntity({
  name: 'dealStageHistory',
  label: 'Deal stage change',
  plural: 'Deal stage history',
  description: 'One move of a deal between stages, for cycle-time and win-rate analytics.',
  table: 'deal_stage_history',
  collection: 'activities',
  version: 0,
  owner: 'parent',
  parentField: 'dealId',
  display: ['fromStage', 'toStage'],
  fields: {
    dealId: f.ref('deal', { required: true, label: 'Deal' }),
    fromStage: f.enum(DEAL_STAGES, { label: 'From stage' }),
    toStage: f.enum(DEAL_STAGES, { required: true, label: 'To stage' }),
    changedAt: f.datetime({ required: true, label: 'Changed at' }),
    changedBy: f.ref('user', { required: true, label: 'Changed by' }),
    amount: f.money('currency', { min: 0, label: 'Amount at change' }),
    currency: f.currency({ label: 'Currency' }),
    probability: f.percent({ label: 'Probability' }),
    daysInPreviousStage: f.number({ min: 0, max: 100_000, label: 'Days in previous stage' }),
  },
  indexes: [['dealId', 'isDeleted', 'newest']],
  rules: [
    (r) =>
      r.fromStage !== undefined && r.fromStage === r.toStage
        ? [{ field: 'toStage', problem: 'must differ from the from stage' }]
        : [],
  ],
});

export const currencyEntity = defineEntity({
  name: 'currency',
  label: 'Currency',
  plural: 'Currencies',
  description: 'A currency the organisation trades in.',
  table: 'currencies',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['code'],
  fields: {
    code: f.currency({ required: true, label: 'Code' }),
    name: f.string({ required: true, maxLength: 60, label: 'Name' }),
    symbol: f.string({ maxLength: 8, label: 'Symbol' }),
    decimals: f.integer({ required: true, default: 2, min: 0, max: 4, label: 'Decimals' }),
    active: f.boolean({ required: true, default: true, label: 'Active' }),
  },
  indexes: [['isDeleted', 'newest']],
});

export const exchangeRateEntity = defineEntity({
  name: 'exchangeRate',
  label: 'Exchange rate',
  plural: 'Exchange rates',
  description: 'A dated rate: one unit of the base currency in the quote currency.',
  table: 'exchange_rates',
  collection: 'settings',
  version: 0,
  owner: 'admin',
  display: ['baseCurrency', 'quoteCurrency', 'effectiveDate'],
  fields: {
    baseCurrency: f.currency({ required: true, label: 'Base' }),
    quoteCurrency: f.currency({ required: true, label: 'Quote' }),
    rate: f.number({ required: true, min: 0.000_000_1, max: 1_000_000_000, label: 'Rate' }),
    effectiveDate: f.date({ required: true, label: 'Effective' }),
    source: f.string({ maxLength: 100, label: 'Source' }),
  },
  indexes: [['isDeleted', 'newest']],
  rules: [
    (r) =>
      r.baseCurrency === r.quoteCurrency
        ? [{ field: 'quoteCurrency', problem: 'must differ from the base currency' }]
        : [],
  ],
});
