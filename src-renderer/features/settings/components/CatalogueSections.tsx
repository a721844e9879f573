import { useMemo } from 'react';
import { useCrm } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { addExchangeRate, createCurrency, type RateRow, ratesInForce } from '../catalogue.service';
import { SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';

const PRODUCT = ['name', 'sku', 'series', 'unitPrice', 'currency', 'active', 'description'];
const CURRENCY = ['code', 'name', 'symbol', 'decimals', 'active'];
const RATE = ['baseCurrency', 'quoteCurrency', 'rate', 'effectiveDate', 'source'];
const RATE_WIDTHS = {
  baseCurrency: '0.6fr',
  quoteCurrency: '0.6fr',
  rate: '1fr',
  effectiveDate: '1fr',
  source: '1.4fr',
};

/** The product catalogue deals are priced from. */
export function ProductsSection() {
  const { repos } = useCrm();
  return (
    <SettingsTable
      entity="product"
      tab="products"
      columns={['name', 'sku', 'series', 'unitPrice', 'active']}
      widths={{ name: '1.8fr', unitPrice: '1.2fr', active: '0.6fr' }}
      intro="The catalogue deal line items are priced from. An inactive product stays on the deals that use it."
      create={{ label: 'New product', fields: PRODUCT, save: (values) => repos.product.create(values as never) }}
      detail={(id, close) => (
        <SettingsDetail
          entity="product"
          id={id}
          onClose={close}
          fields={PRODUCT.slice(1)}
          edit={{ fields: PRODUCT, save: (productId, values) => repos.product.update(productId, values as never) }}
        />
      )}
    />
  );
}

/** Currencies the organisation trades in. */
export function CurrenciesSection() {
  const { repos } = useCrm();
  return (
    <SettingsTable
      entity="currency"
      tab="currencies"
      columns={CURRENCY}
      intro="Currencies deals and products are priced in. Converted totals use the exchange rates."
      create={{ label: 'New currency', fields: CURRENCY, save: (values) => createCurrency(repos, values) }}
      detail={(id, close) => (
        <SettingsDetail
          entity="currency"
          id={id}
          onClose={close}
          fields={CURRENCY}
          edit={{
            fields: CURRENCY.slice(1),
            save: (currencyId, values) => repos.currency.update(currencyId, values as never),
          }}
        />
      )}
    />
  );
}

/** Dated exchange rates, with the rates in force today above the list. */
export function RatesSection() {
  const { repos } = useCrm();
  const rates = useObservable(() => repos.exchangeRate.observe({}), [], [repos]);
  const today = new Date().toISOString().slice(0, 10);
  const inForce = useMemo(() => ratesInForce(rates as unknown as RateRow[], today), [rates, today]);
  return (
    <SettingsTable
      entity="exchangeRate"
      tab="rates"
      columns={RATE}
      intro="One unit of the base currency in the quote currency, from its effective date until the next rate of the pair."
      widths={RATE_WIDTHS}
      banner={
        inForce.length > 0 && (
          <p className="rates-in-force">
            <span className="muted">In force today</span>
            {inForce.slice(0, 6).map((r) => (
              <span key={r.id} className="badge">
                {r.baseCurrency} → {r.quoteCurrency} {r.rate}
              </span>
            ))}
          </p>
        )
      }
      create={{
        label: 'New rate',
        fields: RATE,
        defaults: { baseCurrency: 'USD', effectiveDate: today },
        save: (values) => addExchangeRate(repos, values),
      }}
      detail={(id, close) => (
        <SettingsDetail
          entity="exchangeRate"
          id={id}
          onClose={close}
          fields={RATE}
          edit={{
            fields: ['rate', 'source'],
            save: (rateId, values) => repos.exchangeRate.update(rateId, values as never),
          }}
        />
      )}
    />
  );
}
