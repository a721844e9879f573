import { type Country, phoneIn, slug } from './demo-geo';
import { mix, type Stream, weightTable } from './random';

const TITLES: Readonly<Record<string, readonly string[]>> = {
  Executive: ['CEO', 'COO', 'Founder', 'Managing Director', 'President'],
  Sales: ['VP of Sales', 'Sales Director', 'Head of Sales Operations', 'Account Executive', 'Sales Manager'],
  Marketing: ['CMO', 'Marketing Director', 'Demand Generation Manager', 'Marketing Operations Lead'],
  IT: ['CIO', 'IT Director', 'Head of IT', 'Systems Administrator', 'IT Manager'],
  Engineering: ['CTO', 'VP of Engineering', 'Engineering Manager', 'Solutions Architect'],
  Operations: ['Head of Operations', 'Operations Manager', 'Director of Operations'],
  Finance: ['CFO', 'Finance Director', 'Financial Controller', 'Finance Manager'],
  Procurement: ['Head of Procurement', 'Procurement Manager', 'Purchasing Lead'],
  'Customer Success': ['VP of Customer Success', 'Customer Success Manager', 'Head of Support'],
};

const DEPARTMENT_MIX = weightTable({
  Executive: 10,
  Sales: 22,
  Marketing: 16,
  IT: 14,
  Engineering: 8,
  Operations: 12,
  Finance: 8,
  Procurement: 5,
  'Customer Success': 5,
});

const PERSONAL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  jobTitle: string;
  department: string;
  /** Stable handle for social profile URLs. */
  handle: string;
}

const slugs = new Map<string, string>();

/** Name slugs, cached: a few thousand names recur across hundreds of thousands of people. */
function nameSlug(name: string): string {
  let s = slugs.get(name);
  if (s === undefined) {
    s = slug(name);
    if (slugs.size < 20_000) slugs.set(name, s);
  }
  return s;
}

function local(text: string): string {
  return nameSlug(text).replace(/-/g, '');
}

/**
 * The person behind record `index` of a stream, derived from (seed, stream, index) alone so that a
 * lead converted into a contact can carry the contact's very name and email.
 */
export function personAt(stream: Stream, index: number, domain: string | undefined, country: Country): Person {
  const { faker, rand } = stream.at(index);
  const phone = phoneIn(rand, country);
  const firstName = faker.person.firstName();
  // faker.person.lastName() expands a pattern template per call, four times slower than this.
  const names = faker.definitions.person.last_name.generic ?? ['Smith'];
  const lastName = rand.chance(0.05) ? `${rand.pick(names)}-${rand.pick(names)}` : rand.pick(names);
  const department = rand.weighted(DEPARTMENT_MIX);
  const jobTitle = rand.pick(TITLES[department] ?? ['Manager']);
  const name = `${local(firstName)}.${local(lastName)}`;
  // The index suffix keeps personal addresses unique; company addresses read like real ones.
  const email = domain
    ? `${name}@${domain}`
    : `${name}${index % 1000}@${PERSONAL_DOMAINS[index % PERSONAL_DOMAINS.length]}`;
  const handle = `${nameSlug(firstName)}-${nameSlug(lastName)}-${(mix(index) % 46_656).toString(36)}`;
  return { firstName, lastName, email, phone, jobTitle, department, handle };
}
