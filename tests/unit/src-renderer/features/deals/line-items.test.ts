import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRateBook } from '../../../../../src-renderer/features/deals/convert-money';
import {
  catalogPrice,
  lineItemFormProblems,
  lineItemsTotal,
  lineTotal,
  readLineItemTexts,
  saveLineItem,
} from '../../../../../src-renderer/features/deals/line-items';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

async function setup() {
  const deal = await t.repos.deal.create({
    name: 'Globex renewal',
    amount: 0,
    currency: 'EUR',
    stage: 'proposal',
  } as never);
  const product = await t.repos.product.create({ name: 'Team seat', unitPrice: 12_000, currency: 'USD', active: true });
  const retired = await t.repos.product.create({
    name: 'Legacy seat',
    unitPrice: 5_000,
    currency: 'USD',
    active: false,
  });
  return { deal, product, retired };
}

const itemsOf = (dealId: string) => t.repos.dealProduct.list({ where: { dealId } });

describe('readLineItemTexts', () => {
  const read = (quantity: string, discount = '') => readLineItemTexts({ quantity, price: '1,250.00', discount }, 2);
  it('reads a quantity of 1,000 as a thousand and 2,5 as two and a half', () => {
    expect(read('1,000').quantity).toBe(1_000);
    expect(read('1.000,5').quantity).toBe(1_000.5);
    expect(read('2,5').quantity).toBe(2.5);
    expect(read('3').unitPrice).toBe(125_000);
    expect(read('3', '12,5').discount).toBe(12.5);
  });

  it('reads back a KWD price of 1.085 as the form shows it', () => {
    // The form shows a price with toFixed and the locale's mark ("." here, Node's default locale).
    expect(readLineItemTexts({ quantity: '1', price: '1.085', discount: '' }, 3).unitPrice).toBe(1_085);
  });

  it('leaves what is not a number unreadable, so the form names the field', () => {
    expect(read('ten').quantity).toBeNaN();
    expect(read('1,0,0').quantity).toBeNaN();
    expect(read('3', '10 %').discount).toBeNaN();
    expect(read('3').discount).toBeUndefined();
  });
});

describe('lineItemFormProblems', () => {
  it('names the price that is no amount and the missing product in one round', () => {
    // The product was named only on the try after the price was fixed.
    expect(lineItemFormProblems('', { quantity: '2', price: 'abc', discount: '150' }, 2, 'USD')).toEqual({
      unitPrice: 'must be an amount in USD, e.g. 1,250.00',
      productId: 'is required',
      discountPercent: 'must be between 0 and 100',
    });
  });

  it('names text first, a quantity of 0 after, and nothing for a good line', () => {
    expect(lineItemFormProblems('p1', { quantity: 'two', price: '10', discount: '' }, 2, 'EUR')).toEqual({
      quantity: 'must be a number above 0',
    });
    expect(lineItemFormProblems('p1', { quantity: '0', price: '10', discount: '' }, 2, 'EUR')).toEqual({
      quantity: 'must be a number above 0',
    });
    expect(lineItemFormProblems('p1', { quantity: '3', price: '10.50', discount: '5' }, 2, 'EUR')).toEqual({});
  });
});

describe('lineTotal', () => {
  it('is quantity × unit price less the discount, rounded to minor units', () => {
    expect(lineTotal(3, 10_000)).toBe(30_000);
    expect(lineTotal(3, 10_000, 15)).toBe(25_500);
    expect(lineTotal(1, 999, 33.3)).toBe(666);
  });
});

describe('saveLineItem', () => {
  it('adds a line item in the deal’s currency with its total, and edits it', async () => {
    const { deal, product } = await setup();
    const item = await saveLineItem(t.repos, deal.id, {
      productId: product.id,
      quantity: 10,
      unitPrice: 11_000,
      discountPercent: 10,
    });
    expect(item).toMatchObject({
      dealId: deal.id,
      productId: product.id,
      currency: 'EUR',
      total: 99_000,
      discountPercent: 10,
      description: 'Team seat',
    });
    const edited = await saveLineItem(
      t.repos,
      deal.id,
      { productId: product.id, quantity: 2, unitPrice: 11_000 },
      item.id,
    );
    expect(edited).toMatchObject({ quantity: 2, total: 22_000 });
    expect(edited.discountPercent).toBeUndefined();
    expect(await itemsOf(deal.id)).toHaveLength(1);
  });

  it('names the field of bad input and writes nothing', async () => {
    const { deal, product, retired } = await setup();
    const bad = [
      [{ productId: '', quantity: 1, unitPrice: 1 }, /productId is required/],
      [{ productId: product.id, quantity: 0, unitPrice: 1 }, /quantity must be a number above 0/],
      [{ productId: product.id, quantity: Number.NaN, unitPrice: 1 }, /quantity/],
      [{ productId: product.id, quantity: 1, unitPrice: -5 }, /unitPrice must be an amount/],
      [{ productId: product.id, quantity: 1, unitPrice: 1.5 }, /unitPrice/],
      [{ productId: product.id, quantity: 1, unitPrice: 100, discountPercent: 120 }, /discountPercent must be between/],
      [{ productId: 'missing', quantity: 1, unitPrice: 100 }, /productId is not in the product catalogue/],
      [{ productId: retired.id, quantity: 1, unitPrice: 100 }, /no longer sold/],
      [{ productId: product.id, quantity: 1, unitPrice: 100, description: 'x'.repeat(301) }, /description/],
    ] as const;
    for (const [input, message] of bad) {
      await expect(saveLineItem(t.repos, deal.id, { ...input })).rejects.toThrow(message);
    }
    await expect(
      saveLineItem(t.repos, 'no-deal', { productId: product.id, quantity: 1, unitPrice: 1 }),
    ).rejects.toThrow(/does not exist/);
    expect(await itemsOf(deal.id)).toHaveLength(0);
  });

  it('refuses to edit another deal’s line item', async () => {
    const { deal, product } = await setup();
    const other = await t.repos.deal.create({ name: 'Other', amount: 0, currency: 'EUR' } as never);
    const item = await saveLineItem(t.repos, other.id, { productId: product.id, quantity: 1, unitPrice: 100 });
    await expect(
      saveLineItem(t.repos, deal.id, { productId: product.id, quantity: 5, unitPrice: 100 }, item.id),
    ).rejects.toThrow(/belongs to another deal/);
    expect(await t.repos.dealProduct.require(item.id)).toMatchObject({ quantity: 1, dealId: other.id });
  });
});

describe('prices and totals across currencies', () => {
  const book = createRateBook([{ baseCurrency: 'USD', quoteCurrency: 'EUR', rate: 0.9, effectiveDate: '2026-01-01' }]);

  it('prices a USD catalogue product in the deal’s EUR at today’s rate', async () => {
    const { product } = await setup();
    expect(catalogPrice(product, 'EUR', book, '2026-11-01')).toBe(10_800);
    expect(catalogPrice(product, 'CHF', book, '2026-11-01')).toBeUndefined();
  });

  it('adds line items in the deal currency', async () => {
    const { deal, product } = await setup();
    await saveLineItem(t.repos, deal.id, { productId: product.id, quantity: 2, unitPrice: 10_000 });
    await saveLineItem(t.repos, deal.id, { productId: product.id, quantity: 1, unitPrice: 5_000 });
    expect(lineItemsTotal(await itemsOf(deal.id), 'EUR', book)).toEqual({ amount: 25_000, missing: 0 });
  });
});
