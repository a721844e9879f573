import { DEAL_STAGES, type DealStage } from '../../../src-shared/entities/enums';
import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../src-shared/schema/field';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import { fromInputText, toInputText } from '../../ui/form-values';
import type { ConversionPlan, ConvertLeadOptions } from './convert-lead';
import type { Lead } from './lead-inbox.queries';

const deal = getEntity('deal');
export const DEAL_FIELDS = ['name', 'amount', 'currency', 'stage', 'expectedCloseDate'] as const;
export type DealField = (typeof DEAL_FIELDS)[number];
export type DealTexts = Record<DealField, string>;
export type DealProblems = Partial<Record<DealField, string>>;

/** A converted lead's deal starts in an open stage: a closed one needs a close date and a reason. */
const OPEN_STAGES = DEAL_STAGES.filter((s) => s !== 'closedWon' && s !== 'closedLost');
const stageSpec: FieldSpec = { ...(deal.fields.stage as FieldSpec), values: OPEN_STAGES };

/** The registry's field of the deal form (the stage limited to open stages). */
export const dealFieldSpec = (field: DealField): FieldSpec =>
  field === 'stage' ? stageSpec : (deal.fields[field] as FieldSpec);

const DAY_MS = 86_400_000;

/** What the deal form starts with: the lead's estimate in its currency, qualification, closing in 90 days. */
export function defaultDealTexts(lead: Lead, plan: ConversionPlan | undefined, now: Date): DealTexts {
  const currency = lead.currency ?? 'USD';
  const company = plan?.company?.name ?? plan?.newCompanyName ?? [lead.firstName, lead.lastName].join(' ').trim();
  return {
    name: `${company} – ${lead.campaign ?? 'new business'}`,
    amount: toInputText(deal.fields.amount as FieldSpec, lead.estimatedValue ?? 0, { currency }),
    currency,
    stage: 'qualification',
    expectedCloseDate: new Date(now.getTime() + 90 * DAY_MS).toISOString().slice(0, 10),
  };
}

/** The deal form's texts, and which of them the user has typed since the dialog opened. */
export interface DealForm {
  texts: DealTexts;
  edited: ReadonlySet<DealField>;
}

/** The form as a dialog opens: `defaults` (the lead's, until the conversion plan is found), nothing typed. */
export function openedDealForm(defaults: DealTexts): DealForm {
  return { texts: defaults, edited: new Set() };
}

/** The user typed `text` into `field`: it is theirs from now on. */
export function typedDealText(form: DealForm, field: DealField, text: string): DealForm {
  return { texts: { ...form.texts, [field]: text }, edited: new Set(form.edited).add(field) };
}

/**
 * The defaults of the conversion plan, found after the dialog opened (the matched company names
 * the deal), for the fields the user has not typed into: what they typed meanwhile stays. (They
 * used to replace every field, so a deal name typed at once was lost when the plan came in.)
 */
export function plannedDealForm(form: DealForm, defaults: DealTexts): DealForm {
  const texts = { ...defaults };
  for (const field of form.edited) texts[field] = form.texts[field];
  return { texts, edited: form.edited };
}

/**
 * The deal option of convertLead from what the user typed, or the problem of each field that
 * cannot be read (the amount in the chosen currency's minor units). Only the close date may be empty.
 */
export function parseDealTexts(texts: DealTexts): {
  deal?: NonNullable<ConvertLeadOptions['deal']>;
  problems: DealProblems;
} {
  const problems: DealProblems = {};
  const values: Partial<Record<DealField, unknown>> = {};
  const context = { currency: texts.currency.trim().toUpperCase() };
  for (const field of DEAL_FIELDS) {
    const parsed = fromInputText(dealFieldSpec(field), texts[field] ?? '', context);
    if (parsed.problem) problems[field] = parsed.problem;
    else if (parsed.value === undefined && field !== 'expectedCloseDate') problems[field] = 'is required';
    else if (parsed.value !== undefined) values[field] = parsed.value;
  }
  if (values.stage !== undefined && !(OPEN_STAGES as readonly string[]).includes(String(values.stage)))
    problems.stage = `must be one of ${OPEN_STAGES.join(', ')}`;
  if (Object.keys(problems).length > 0) return { problems };
  return {
    problems,
    deal: {
      name: values.name as string,
      amount: values.amount as number,
      currency: values.currency as string,
      stage: values.stage as DealStage,
      ...(values.expectedCloseDate ? { expectedCloseDate: values.expectedCloseDate as string } : {}),
    },
  };
}

/**
 * Where a failed conversion's problems go: a deal problem to its field in the form, anything else
 * (the contact or company the lead would make, a lead already converted) to one line naming them.
 */
export function conversionProblems(error: unknown): { byField: DealProblems; formError?: string } {
  if (!(error instanceof ValidationError))
    return { formError: error instanceof Error ? error.message : String(error), byField: {} };
  const byField: DealProblems = {};
  const elsewhere: string[] = [];
  const label = isEntityName(error.entity) ? getEntity(error.entity).label : error.entity;
  for (const p of error.problems) {
    if (error.entity === 'deal' && (DEAL_FIELDS as readonly string[]).includes(p.field))
      byField[p.field as DealField] ??= p.problem;
    else elsewhere.push(`${label} ${p.field} ${p.problem}`);
  }
  return { byField, ...(elsewhere.length > 0 ? { formError: elsewhere.join('; ') } : {}) };
}
