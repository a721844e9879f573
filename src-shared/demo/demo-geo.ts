import type { Rand } from './random';
import { weightTable } from './random';

export type DemoCurrency = 'USD' | 'EUR' | 'GBP' | 'JPY';

interface City {
  readonly city: string;
  readonly region: string;
  readonly timezone: string;
}

export interface Country {
  readonly name: string;
  readonly code: string;
  readonly callingCode: string;
  readonly currency: DemoCurrency;
  readonly locale: string;
  readonly cities: readonly City[];
}

const c = (city: string, region: string, timezone: string): City => ({ city, region, timezone });

export const COUNTRIES: readonly Country[] = [
  {
    name: 'United States',
    code: 'US',
    callingCode: '1',
    currency: 'USD',
    locale: 'en-US',
    cities: [
      c('New York', 'NY', 'America/New_York'),
      c('San Francisco', 'CA', 'America/Los_Angeles'),
      c('Austin', 'TX', 'America/Chicago'),
      c('Chicago', 'IL', 'America/Chicago'),
      c('Boston', 'MA', 'America/New_York'),
      c('Seattle', 'WA', 'America/Los_Angeles'),
      c('Denver', 'CO', 'America/Denver'),
      c('Atlanta', 'GA', 'America/New_York'),
    ],
  },
  {
    name: 'United Kingdom',
    code: 'GB',
    callingCode: '44',
    currency: 'GBP',
    locale: 'en-GB',
    cities: [
      c('London', 'England', 'Europe/London'),
      c('Manchester', 'England', 'Europe/London'),
      c('Edinburgh', 'Scotland', 'Europe/London'),
      c('Bristol', 'England', 'Europe/London'),
    ],
  },
  {
    name: 'Germany',
    code: 'DE',
    callingCode: '49',
    currency: 'EUR',
    locale: 'de-DE',
    cities: [
      c('Berlin', 'Berlin', 'Europe/Berlin'),
      c('Munich', 'Bavaria', 'Europe/Berlin'),
      c('Hamburg', 'Hamburg', 'Europe/Berlin'),
      c('Frankfurt', 'Hesse', 'Europe/Berlin'),
    ],
  },
  {
    name: 'France',
    code: 'FR',
    callingCode: '33',
    currency: 'EUR',
    locale: 'fr-FR',
    cities: [c('Paris', 'Île-de-France', 'Europe/Paris'), c('Lyon', 'Auvergne-Rhône-Alpes', 'Europe/Paris')],
  },
  {
    name: 'Netherlands',
    code: 'NL',
    callingCode: '31',
    currency: 'EUR',
    locale: 'nl-NL',
    cities: [c('Amsterdam', 'North Holland', 'Europe/Amsterdam'), c('Rotterdam', 'South Holland', 'Europe/Amsterdam')],
  },
  {
    name: 'Japan',
    code: 'JP',
    callingCode: '81',
    currency: 'JPY',
    locale: 'ja-JP',
    cities: [c('Tokyo', 'Tokyo', 'Asia/Tokyo'), c('Osaka', 'Osaka', 'Asia/Tokyo')],
  },
  {
    name: 'Canada',
    code: 'CA',
    callingCode: '1',
    currency: 'USD',
    locale: 'en-CA',
    cities: [c('Toronto', 'ON', 'America/Toronto'), c('Vancouver', 'BC', 'America/Vancouver')],
  },
  {
    name: 'Australia',
    code: 'AU',
    callingCode: '61',
    currency: 'USD',
    locale: 'en-AU',
    cities: [c('Sydney', 'NSW', 'Australia/Sydney'), c('Melbourne', 'VIC', 'Australia/Melbourne')],
  },
];

const COUNTRY_MIX = weightTable({ '0': 55, '1': 12, '2': 10, '3': 6, '4': 4, '5': 5, '6': 5, '7': 3 });

export interface Place {
  readonly country: Country;
  readonly city: string;
  readonly region: string;
  readonly timezone: string;
}

export function pickPlace(rand: Rand): Place {
  const country = COUNTRIES[Number(rand.weighted(COUNTRY_MIX))] ?? COUNTRIES[0]!;
  const city = rand.pick(country.cities);
  return { country, ...city };
}

export function phoneIn(rand: Rand, country: Country): string {
  const digits = (n: number) => String(rand.int(0, 10 ** n - 1)).padStart(n, '0');
  return country.callingCode === '1'
    ? `+1 ${rand.int(201, 989)} 555 ${digits(4)}`
    : `+${country.callingCode} ${rand.int(10, 99)} ${digits(4)} ${digits(4)}`;
}

export function postalCodeIn(rand: Rand, country: Country): string {
  switch (country.code) {
    case 'GB':
      return `${rand.pick(['EC1A', 'M1', 'EH1', 'BS1', 'SW1A', 'N1'])} ${rand.int(1, 9)}${rand.pick(['AB', 'BB', 'DX', 'HQ'])}`;
    case 'CA':
      return `${rand.pick(['M5V', 'V6B', 'M4W'])} ${rand.int(1, 9)}${rand.pick(['A', 'K', 'T'])}${rand.int(1, 9)}`;
    case 'NL':
      return `${rand.int(1000, 9999)} ${rand.pick(['AB', 'CD', 'KL'])}`;
    case 'JP':
      return `${rand.int(100, 999)}-${rand.int(1000, 9999)}`;
    case 'AU':
      return String(rand.int(2000, 3999));
    default:
      return String(rand.int(10000, 99999));
  }
}

/** Lower-case ASCII slug: "O'Keefe & Sons" → "okeefe-sons". */
export function slug(text: string): string {
  // normalize() is slow; most names are plain ASCII and need none.
  return (/^[\x20-\x7e]*$/.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Demo domains end in `.example` (RFC 2606 reserves it), so a demo data set connected to a real mail
 * integration can never email a real company.
 */
export function demoDomain(name: string): string {
  return `${slug(name).slice(0, 60) || 'company'}.example`;
}
