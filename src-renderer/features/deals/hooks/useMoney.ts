import { useMemo } from 'react';
import { useCrm } from '../../../app/crm-context';
import { useObservable } from '../../../ui/useObservable';
import { createRateBook, type Rate, type RateBook } from '../convert-money';
import { useDealsUi } from '../deals.store';

export interface CurrencyChoice {
  code: string;
  name: string;
  decimals: number;
}

/** The organisation's currencies, live, by code. */
export function useCurrencies(): readonly CurrencyChoice[] {
  const { repos } = useCrm();
  const records = useObservable(() => repos.currency.observe(), [], [repos]);
  return useMemo(
    () =>
      records
        .filter((c) => c.active)
        .map((c) => ({ code: c.code, name: c.name, decimals: c.decimals }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    [records],
  );
}

/**
 * Every dated exchange rate and the currencies' decimals, as one RateBook that follows changes;
 * undefined until the rates are read (totals shown before would all say "no rate").
 */
export function useRateBook(): RateBook | undefined {
  const { repos } = useCrm();
  const rates = useObservable(() => repos.exchangeRate.observe(), undefined as Rate[] | undefined, [repos]);
  const currencies = useCurrencies();
  return useMemo(
    () =>
      rates === undefined
        ? undefined
        : createRateBook(rates, Object.fromEntries(currencies.map((c) => [c.code, c.decimals]))),
    [rates, currencies],
  );
}

/** The currency totals are shown in: the one picked on the screen, else the user's default, else USD. */
export function useDisplayCurrency(): string {
  const { repos, user } = useCrm();
  const picked = useDealsUi((s) => s.displayCurrency);
  const record = useObservable(() => repos.user.observeOne(user.id), undefined, [repos, user.id]);
  return picked ?? record?.defaultCurrency ?? 'USD';
}
