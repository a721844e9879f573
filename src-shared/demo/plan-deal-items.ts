import { convertFromUsd, PRODUCT, PRODUCTS } from './demo-money';
import type { DealType } from './demo-signal';
import type { CompanyInfo } from './plan-companies';
import type { Rand } from './random';

export interface DealItem {
  productIndex: number;
  quantity: number;
  unitPrice: number;
  discountPercent: number | undefined;
  total: number;
}

function seatProduct(rand: Rand, company: CompanyInfo): number {
  if (company.tier === 'SMB') return PRODUCT.starterSeat;
  if (company.tier === 'Mid-market') return rand.chance(0.8) ? PRODUCT.professionalSeat : PRODUCT.starterSeat;
  return rand.chance(0.75) ? PRODUCT.enterpriseSeat : PRODUCT.professionalSeat;
}

/** Bigger orders get bigger discounts. */
function discountFor(rand: Rand, seats: number): number | undefined {
  const options = seats >= 500 ? [10, 15, 20] : seats >= 100 ? [0, 5, 10] : [0, 0, 0, 5];
  const discount = rand.pick(options);
  return discount === 0 ? undefined : discount;
}

/**
 * The products on a deal, priced in the company's currency: seats growing with head count, so
 * larger companies buy larger deals, plus services and add-ons. The amount is the sum of the lines.
 */
export function lineItems(rand: Rand, company: CompanyInfo, type: DealType): { items: DealItem[]; amount: number } {
  const currency = company.place.country.currency;
  // Sub-linear: a company ten times bigger buys about 5.6 times the seats.
  const share = rand.float(0.1, 0.35) * (type === 'expansion' ? 0.3 : 1);
  const seats = Math.min(2500, Math.round(3 + company.employees ** 0.75 * share));
  const discount = discountFor(rand, seats);
  const products: [number, number][] = [[seatProduct(rand, company), seats]];
  if (type === 'newBusiness' && rand.chance(0.6)) products.push([PRODUCT.onboarding, 1]);
  if ((company.tier === 'Enterprise' || company.tier === 'Strategic') && rand.chance(0.5)) {
    products.push([PRODUCT.support, 1]);
  }
  if (rand.chance(0.25)) products.push([PRODUCT.enrichment, 1]);
  if (rand.chance(0.3)) products.push([PRODUCT.aiAssistant, 1]);
  const items = products.map(([productIndex, quantity]): DealItem => {
    const unitPrice = convertFromUsd(PRODUCTS[productIndex]?.unitPriceUsd ?? 0, currency);
    const total = Math.round(quantity * unitPrice * (1 - (discount ?? 0) / 100));
    return { productIndex, quantity, unitPrice, discountPercent: discount, total };
  });
  return { items, amount: items.reduce((sum, item) => sum + item.total, 0) };
}
