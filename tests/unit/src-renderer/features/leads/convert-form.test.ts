import { describe, expect, it } from 'vitest';
import {
  conversionProblems,
  type DealTexts,
  defaultDealTexts,
  openedDealForm,
  parseDealTexts,
  plannedDealForm,
  typedDealText,
} from '../../../../../src-renderer/features/leads/convert-form';
import type { ConversionPlan } from '../../../../../src-renderer/features/leads/convert-lead';
import type { Lead } from '../../../../../src-renderer/features/leads/lead-inbox.queries';
import { NotFoundError, ValidationError } from '../../../../../src-shared/schema/validation-error';

const lead = {
  id: 'l1',
  firstName: 'Grace',
  lastName: 'Hopper',
  campaign: 'Q1 referral campaign',
  estimatedValue: 1_250_050,
  currency: 'EUR',
} as Lead;
const texts: DealTexts = {
  name: 'Navy Labs – compilers',
  amount: '12,500.50',
  currency: 'eur',
  stage: 'proposal',
  expectedCloseDate: '2027-02-28',
};

describe('the convert dialog’s deal form', () => {
  it('starts from the lead: its estimate in its currency, the company or person in the name, 90 days to close', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    expect(defaultDealTexts(lead, { newCompanyName: 'Navy Labs' }, now)).toEqual({
      name: 'Navy Labs – Q1 referral campaign',
      amount: '12500.50',
      currency: 'EUR',
      stage: 'qualification',
      expectedCloseDate: '2027-02-28',
    });
    expect(defaultDealTexts({ ...lead, campaign: undefined, currency: undefined } as Lead, {}, now)).toMatchObject({
      name: 'Grace Hopper – new business',
      currency: 'USD',
    });
  });

  it('reads amounts in minor units of the chosen currency and an empty close date as none', () => {
    expect(parseDealTexts(texts)).toEqual({
      problems: {},
      deal: {
        name: texts.name,
        amount: 1_250_050,
        currency: 'EUR',
        stage: 'proposal',
        expectedCloseDate: '2027-02-28',
      },
    });
    expect(parseDealTexts({ ...texts, currency: 'JPY', amount: '1200', expectedCloseDate: '' }).deal).toEqual({
      name: texts.name,
      amount: 1200,
      currency: 'JPY',
      stage: 'proposal',
    });
  });

  it('names each field it cannot read and gives no deal', () => {
    expect(parseDealTexts({ ...texts, name: '  ', amount: 'twelve', currency: '', stage: 'closedWon' })).toEqual({
      problems: {
        name: 'is required',
        amount: 'must be an amount, e.g. 1250.50',
        currency: 'is required',
        stage: 'must be one of prospecting, qualification, proposal, negotiation',
      },
    });
  });

  it('puts a deal’s validation problems at their fields and anything else in one line naming the record', () => {
    expect(
      conversionProblems(
        new ValidationError('deal', [
          { field: 'currency', problem: 'must be a 3-letter ISO code' },
          { field: 'closedAt', problem: 'is required' },
        ]),
      ),
    ).toEqual({ byField: { currency: 'must be a 3-letter ISO code' }, formError: 'Deal closedAt is required' });
    expect(
      conversionProblems(new ValidationError('lead', [{ field: 'status', problem: 'the lead is already converted' }])),
    ).toEqual({ byField: {}, formError: 'Lead status the lead is already converted' });
    expect(conversionProblems(new NotFoundError('lead', 'l9'))).toEqual({
      byField: {},
      formError: 'lead l9 does not exist',
    });
  });
});

describe('the convert dialog’s deal form while the conversion plan is found', () => {
  const adaLead = { firstName: 'Ada', lastName: 'Fieldday', estimatedValue: 1_000_00 } as unknown as Lead;
  const now = new Date('2026-12-01T09:00:00Z');
  const before = defaultDealTexts(adaLead, undefined, now);
  const planned = defaultDealTexts(adaLead, { newCompanyName: 'Fieldday GmbH' } as unknown as ConversionPlan, now);

  it('keeps what the user typed before the plan came in, and takes the plan for the rest', () => {
    let form = openedDealForm(before);
    form = typedDealText(form, 'name', 'Fieldday GmbH – fleet tablets');
    form = plannedDealForm(form, planned);
    expect(form.texts).toEqual({ ...planned, name: 'Fieldday GmbH – fleet tablets' });
    expect(planned.name).toBe('Fieldday GmbH – new business');
    // Typing after the plan still counts, and a later plan keeps both.
    form = typedDealText(form, 'amount', '48000');
    form = plannedDealForm(form, before);
    expect(form.texts).toEqual({ ...before, name: 'Fieldday GmbH – fleet tablets', amount: '48000' });
  });

  it('takes every default of the plan when nothing was typed, and keeps a field typed empty', () => {
    expect(plannedDealForm(openedDealForm(before), planned).texts).toEqual(planned);
    const cleared = plannedDealForm(typedDealText(openedDealForm(before), 'expectedCloseDate', ''), planned);
    expect(cleared.texts.expectedCloseDate).toBe('');
  });
});
