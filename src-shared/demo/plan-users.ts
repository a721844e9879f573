import type { DemoContext } from './demo-context';
import { COUNTRIES, type Country } from './demo-geo';
import { personAt } from './demo-people';
import type { Rand } from './random';

export type DemoRole = 'admin' | 'manager' | 'rep';
export const ROLE_INDEX: Record<DemoRole, number> = { admin: 0, manager: 1, rep: 2 };

export interface DemoUser {
  index: number;
  id: string;
  role: DemoRole;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  /** The group a rep works in, or the first group a manager leads; none for the admin. */
  groupIndex: number | undefined;
  managerIndex: number | undefined;
  country: Country;
}

export interface DemoGroup {
  index: number;
  name: string;
  region: string;
  managerIndex: number | undefined;
  parentIndex: number | undefined;
}

const REGIONS = ['North America', 'EMEA', 'APAC', 'LATAM', 'DACH', 'Nordics', 'ANZ', 'Benelux'];
const SUB_TEAMS = ['Strategic Accounts', 'SMB Desk', 'Inside Sales', 'Partnerships'];
const REGION_COUNTRY: Record<string, string> = { EMEA: 'GB', DACH: 'DE', Benelux: 'NL', APAC: 'JP', ANZ: 'AU' };
export const ORG_DOMAIN = 'fieldcrm-demo.example';

/** Groups: the first `managers` are regions led by one manager each, the rest sub-teams of a region. */
export function demoGroups(ctx: DemoContext): readonly DemoGroup[] {
  return ctx.memo('groups', () =>
    Array.from({ length: ctx.counts.userGroup }, (_, g): DemoGroup => {
      const region = g < ctx.managers ? g : g % ctx.managers;
      return {
        index: g,
        name: g < ctx.managers ? (REGIONS[g] ?? `Region ${g + 1}`) : (SUB_TEAMS[g % SUB_TEAMS.length] ?? 'Team'),
        region: REGIONS[region] ?? `Region ${region + 1}`,
        managerIndex: region < ctx.managers ? 1 + region : undefined,
        parentIndex: g < ctx.managers ? undefined : region,
      };
    }),
  );
}

/** User 0 is the admin, users 1..managers the managers, the rest reps spread over the groups. */
export function demoUsers(ctx: DemoContext): readonly DemoUser[] {
  return ctx.memo('users', () => {
    const groups = demoGroups(ctx);
    const stream = ctx.stream('user.person');
    return Array.from({ length: ctx.counts.user }, (_, u): DemoUser => {
      const role: DemoRole = u === 0 ? 'admin' : u <= ctx.managers ? 'manager' : 'rep';
      const groupIndex =
        role === 'rep' ? (u - ctx.managers - 1) % groups.length : role === 'manager' ? u - 1 : undefined;
      const group = groupIndex === undefined ? undefined : groups[groupIndex];
      const code = REGION_COUNTRY[group?.region ?? ''] ?? 'US';
      const country = COUNTRIES.find((c) => c.code === code) ?? COUNTRIES[0]!;
      const person = personAt(stream, u, ORG_DOMAIN, country);
      return {
        index: u,
        id: ctx.id('user', u),
        role,
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        phone: person.phone,
        groupIndex: group && group.index < groups.length ? groupIndex : undefined,
        managerIndex: role === 'rep' ? group?.managerIndex : role === 'manager' ? 0 : undefined,
        country,
      };
    });
  });
}

/** Who owns a sales record: a rep five times in six, else a manager. */
export function pickOwner(ctx: DemoContext, rand: Rand): number {
  const reps = ctx.counts.user - 1 - ctx.managers;
  if (reps > 0 && rand.chance(5 / 6)) return 1 + ctx.managers + rand.int(0, reps - 1);
  return 1 + rand.int(0, ctx.managers - 1);
}
