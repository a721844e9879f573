import type { DocumentEntityName, EntityByName } from '../../../src-shared/entities/registry';
import type { EntityRecord, FieldProblem } from '../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../src-shared/schema/validation-error';
import type { Repositories } from '../../db/repositories';
import { localeDecimalMark, parseDecimal } from '../../ui/form-values';
import { parseMoney, type RateBook } from './convert-money';

type Rec<N extends DocumentEntityName> = EntityRecord<EntityByName<N>>;

export interface LineItemInput {
  productId: string;
  quantity: number;
  /** Minor units of the deal's currency. */
  unitPrice: number;
  discountPercent?: number;
  description?: string;
}

/** quantity × unit price less the discount, in minor units: the dealProduct entity's rule. */
export function lineTotal(quantity: number, unitPrice: number, discountPercent = 0): number {
  return Math.round(quantity * unitPrice * (1 - discountPercent / 100));
}

/**
 * The line item form's texts as numbers (NaN, or undefined for the price, where a text is not one).
 * Quantity and discount are read as the record forms read numbers: "1,000" seats is a thousand
 * (replacing the comma by a point had made it 1), "2,5" is two and a half.
 */
export function readLineItemTexts(texts: { quantity: string; price: string; discount: string }, decimals: number) {
  return {
    quantity: parseDecimal(texts.quantity) ?? Number.NaN,
    unitPrice: parseMoney(texts.price, decimals, localeDecimalMark()),
    discount: texts.discount.trim() === '' ? undefined : (parseDecimal(texts.discount) ?? Number.NaN),
  };
}

/**
 * The line item form's problems, each field's once, all in one round: text that is not a number
 * first, then what inputProblems says of the rest (a price of "abc" was named alone, the missing
 * product only on the next try).
 */
export function lineItemFormProblems(
  productId: string,
  texts: { quantity: string; price: string; discount: string },
  decimals: number,
  currency: string,
): Record<string, string> {
  const parsed = readLineItemTexts(texts, decimals);
  const found: Record<string, string> = {};
  if (texts.quantity.trim() === '' || Number.isNaN(parsed.quantity)) found.quantity = 'must be a number above 0';
  if (parsed.unitPrice === undefined) found.unitPrice = `must be an amount in ${currency}, e.g. 1,250.00`;
  if (parsed.discount !== undefined && Number.isNaN(parsed.discount)) found.discountPercent = 'must be a number';
  const input = {
    productId,
    quantity: parsed.quantity,
    unitPrice: parsed.unitPrice ?? 0,
    discountPercent: parsed.discount,
  };
  for (const { field, problem } of inputProblems(input)) found[field] ??= problem;
  return found;
}

/** Problems a person can fix before the registry sees the record (it checks the rest). */
function inputProblems(input: LineItemInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!input.productId) problems.push({ field: 'productId', problem: 'is required' });
  if (!Number.isFinite(input.quantity) || input.quantity <= 0)
    problems.push({ field: 'quantity', problem: 'must be a number above 0' });
  if (!Number.isInteger(input.unitPrice) || input.unitPrice < 0)
    problems.push({ field: 'unitPrice', problem: 'must be an amount of 0 or more' });
  const d = input.discountPercent;
  if (d !== undefined && (!Number.isFinite(d) || d < 0 || d > 100))
    problems.push({ field: 'discountPercent', problem: 'must be between 0 and 100' });
  return problems;
}

/**
 * The catalogue price of `product` in the deal's currency (converted at today's rates when the
 * product is priced in another currency); undefined when no rate exists.
 */
export function catalogPrice(product: Rec<'product'>, dealCurrency: string, book: RateBook, today: string) {
  const result = book.convert({ amount: product.unitPrice, currency: product.currency }, dealCurrency, today);
  return result.ok ? result.amount : undefined;
}

/**
 * Adds a line item to a deal (or replaces one when `lineItemId` is given), priced in the deal's
 * currency with the total computed here. Checked by hand for what a person types wrong, then by
 * the registry; nothing is written unless both pass.
 */
export async function saveLineItem(
  repos: Repositories,
  dealId: string,
  input: LineItemInput,
  lineItemId?: string,
): Promise<Rec<'dealProduct'>> {
  const problems = inputProblems(input);
  if (problems.length > 0) throw new ValidationError('dealProduct', problems);
  const deal = await repos.deal.require(dealId);
  if (deal.isDeleted) throw new ValidationError('dealProduct', [{ field: 'dealId', problem: 'the deal is deleted' }]);
  const product = await repos.product.get(input.productId);
  if (!product || product.isDeleted)
    throw new ValidationError('dealProduct', [{ field: 'productId', problem: 'is not in the product catalogue' }]);
  if (!product.active && !lineItemId)
    throw new ValidationError('dealProduct', [{ field: 'productId', problem: `“${product.name}” is no longer sold` }]);
  const description = input.description?.trim();
  const values = {
    dealId,
    productId: product.id,
    quantity: input.quantity,
    unitPrice: input.unitPrice,
    currency: deal.currency,
    total: lineTotal(input.quantity, input.unitPrice, input.discountPercent),
    ...(input.discountPercent ? { discountPercent: input.discountPercent } : {}),
    description: description || product.name,
  };
  if (!lineItemId) return repos.dealProduct.create(values);
  const existing = await repos.dealProduct.require(lineItemId);
  if (existing.dealId !== dealId)
    throw new ValidationError('dealProduct', [{ field: 'dealId', problem: 'the line item belongs to another deal' }]);
  return repos.dealProduct.update(lineItemId, { ...values, discountPercent: input.discountPercent || null } as never);
}

/** The deal's line items added up, in the deal's currency (items in another currency are converted). */
export function lineItemsTotal(items: readonly Rec<'dealProduct'>[], dealCurrency: string, book: RateBook) {
  let amount = 0;
  let missing = 0;
  for (const item of items) {
    const converted = book.convert({ amount: item.total, currency: item.currency }, dealCurrency);
    if (converted.ok) amount += converted.amount;
    else missing++;
  }
  return { amount, missing };
}
