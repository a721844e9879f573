import { type DealStage, STAGE_PROBABILITY } from '../entities/enums';

/**
 * What other CRMs' CSV exports call our fields and values: Salesforce (Data Export / report
 * exports: "Account Name", "Opportunity Name", "Lead Source", "Stage" with its default stage
 * picklist, "Billing City", "Mailing Country") and HubSpot (property labels: "Company Domain Name",
 * "Lifecycle Stage", "Deal Stage" with the default sales pipeline's stages, "Original Source",
 * "Country/Region"). Headers are normalised as column-mapping does (lower case letters and digits);
 * values as convert-value's looseKey. Owner columns ("Contact owner", "Opportunity Owner") are
 * custom-columns' business.
 */

type Synonyms = Readonly<Record<string, readonly string[]>>;

const ADDRESS: Synonyms = {
  addressLine1: ['mailingstreet', 'billingstreet', 'streetaddress', 'street'],
  city: ['mailingcity', 'billingcity', 'town'],
  region: ['mailingstate', 'mailingstateprovince', 'billingstate', 'billingstateprovince', 'stateregion', 'state'],
  postalCode: [
    'mailingzippostalcode',
    'mailingpostalcode',
    'billingzippostalcode',
    'billingpostalcode',
    'zip',
    'zipcode',
  ],
  country: ['mailingcountry', 'billingcountry', 'countryregion'],
};

export const VENDOR_SYNONYMS: Readonly<Record<string, Synonyms>> = {
  contact: {
    ...ADDRESS,
    phone: ['businessphone', 'workphone', 'officephone'],
    mobile: ['mobilephone', 'mobilephonenumber', 'cellphone'],
    companyId: ['associatedcompany', 'primarycompany'],
    source: ['originalsource', 'contactsource'],
  },
  lead: {
    companyDomain: ['companydomainname', 'website'],
    status: ['leadstatus'],
    source: ['originalsource'],
    estimatedValue: ['estimatedvalue', 'expectedrevenue'],
  },
  company: {
    ...ADDRESS,
    domain: ['companydomainname', 'domainname', 'companydomain'],
    type: ['accounttype', 'companytype'],
  },
  deal: {
    companyId: ['associatedcompany', 'accountname', 'companyname', 'company', 'account'],
    currency: ['opportunitycurrency', 'currencyisocode', 'dealcurrencycode', 'currencycode'],
    probability: ['probabilitypercent', 'dealprobability'],
    type: ['opportunitytype', 'dealtype'],
    source: ['leadsource', 'originalsource'],
  },
};

/** Value spellings per field: looseKey of the vendor's value → ours. */
export const VENDOR_ENUM_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  stage: {
    // Salesforce's default opportunity stages.
    needsanalysis: 'qualification',
    iddecisionmakers: 'qualification',
    valueproposition: 'proposal',
    perceptionanalysis: 'proposal',
    proposalpricequote: 'proposal',
    negotiationreview: 'negotiation',
    // HubSpot's default sales pipeline.
    appointmentscheduled: 'prospecting',
    qualifiedtobuy: 'qualification',
    presentationscheduled: 'proposal',
    decisionmakerboughtin: 'negotiation',
    contractsent: 'negotiation',
  },
  source: {
    web: 'website',
    organicsearch: 'website',
    directtraffic: 'website',
    paidsearch: 'paidAds',
    paidsocial: 'paidAds',
    advertisement: 'paidAds',
    socialmedia: 'social',
    organicsocial: 'social',
    emailmarketing: 'content',
    referrals: 'referral',
    employeereferral: 'referral',
    externalreferral: 'referral',
    wordofmouth: 'referral',
    partnerreferral: 'partner',
    seminarpartner: 'partner',
    tradeshow: 'event',
    seminarinternal: 'webinar',
    phoneinquiry: 'other',
    purchasedlist: 'other',
    othercampaigns: 'other',
    offlinesources: 'other',
    publicrelations: 'other',
  },
  lifecycleStage: {
    marketingqualifiedlead: 'marketingQualified',
    mql: 'marketingQualified',
    salesqualifiedlead: 'salesQualified',
    sql: 'salesQualified',
  },
  status: {
    // Salesforce lead statuses.
    opennotcontacted: 'new',
    workingcontacted: 'contacted',
    closedconverted: 'converted',
    closednotconverted: 'lost',
    // HubSpot lead statuses.
    open: 'new',
    inprogress: 'contacted',
    attemptedtocontact: 'contacted',
    connected: 'contacted',
    opendeal: 'qualified',
    badtiming: 'nurturing',
  },
  type: {
    customerdirect: 'customer',
    customerchannel: 'customer',
    channelpartnerreseller: 'partner',
    installationpartner: 'partner',
    technologypartner: 'partner',
    newcustomer: 'newBusiness',
    existingcustomerupgrade: 'expansion',
    existingbusiness: 'expansion',
    existingcustomerreplacement: 'renewal',
    existingcustomerdowngrade: 'renewal',
  },
};

/**
 * A closed deal from another CRM carries its close date as "Close Date" (our expected close),
 * while we require when it closed: that date is it. A deal without a probability column gets its
 * stage's default, as a deal entering the stage in the app does (a won deal must say 100).
 */
export function completeVendorValues(entity: string, values: Record<string, unknown>): void {
  if (entity !== 'deal') return;
  const stage = values.stage;
  if (values.probability === undefined && typeof stage === 'string' && stage in STAGE_PROBABILITY)
    values.probability = STAGE_PROBABILITY[stage as DealStage];
  const closed = values.stage === 'closedWon' || values.stage === 'closedLost';
  if (closed && values.closedAt === undefined && typeof values.expectedCloseDate === 'string') {
    values.closedAt = `${values.expectedCloseDate}T00:00:00.000Z`;
  }
}
