import type { TimedExample } from './evaluate';

/**
 * Maven Analytics' CRM sample (tests/fixtures/maven-crm: a hardware seller's 8,800 opportunities) as
 * deal examples, with only what is known before the close: agent (its record on other deals),
 * manager's region, product and its list price, the account's sector, size and revenue. The close
 * value is left out on purpose: a lost deal's is always 0, so it would give the outcome away.
 * Time order is the close date (trained on what had closed, tested on what closed later).
 */

type Row = Readonly<Record<string, string | undefined>>;

/** The original's quirks: the pipeline says "GTXPro" where the catalogue says "GTX Pro". */
const PRODUCT_ALIASES: Readonly<Record<string, string>> = { GTXPro: 'GTX Pro' };

export interface MavenTables {
  pipeline: readonly Row[];
  accounts: readonly Row[];
  products: readonly Row[];
  teams: readonly Row[];
}

export function mavenDealHistory(tables: MavenTables): TimedExample[] {
  const accounts = new Map(tables.accounts.map((a) => [a.account ?? '', a]));
  const prices = new Map(tables.products.map((p) => [p.product ?? '', Number(p.sales_price)]));
  const regions = new Map(tables.teams.map((t) => [t.sales_agent ?? '', t.regional_office]));
  return tables.pipeline.flatMap((deal): TimedExample[] => {
    if (deal.deal_stage !== 'Won' && deal.deal_stage !== 'Lost') return [];
    const product = PRODUCT_ALIASES[deal.product ?? ''] ?? deal.product ?? '';
    const account = accounts.get(deal.account ?? '');
    return [
      {
        label: deal.deal_stage === 'Won' ? 1 : 0,
        at: deal.close_date ?? '',
        raw: {
          dealId: deal.opportunity_id,
          owner: deal.sales_agent,
          region: regions.get(deal.sales_agent ?? ''),
          product,
          amountUsd: prices.get(product),
          industry: account?.sector,
          employees: account?.employees === undefined ? undefined : Number(account.employees),
          stage: 'engaging',
        },
      },
    ];
  });
}
