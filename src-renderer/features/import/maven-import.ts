import { BUILT_IN_ROLE_IDS, BUILT_IN_ROLE_TEXT, builtInPermissions } from '../../../src-shared/auth/built-in-roles';
import { STAGE_PROBABILITY } from '../../../src-shared/entities/enums';
import { matchColumns } from '../../../src-shared/import/column-mapping';
import { looseKey, parseDateTime, parseNumber } from '../../../src-shared/import/convert-value';
import type { ImportTable, RowProblem } from '../../../src-shared/import/import-plan';
import type { Repositories } from '../../db/repositories';
import { batchTag, type JournalStore } from './import-journal';
import { executeImport, prepareImport } from './run-import';

/**
 * The Maven Analytics CRM sample (tests/fixtures/maven-crm, see its SOURCES.txt) imported into the
 * device database: the teams file becomes users and groups, then the product catalogue, the
 * accounts (through the same import pipeline as a user's file, then their parents), then the
 * opportunities. Decisions, so the totals can be checked against the CSVs:
 * - users: each agent a user with the rep role, each manager a user with the manager role (41);
 *   groups: one per regional office (Central/East/West) and one per manager's team under its office,
 *   the manager as the team's lead, the agents as members; e-mails are made up as
 *   first.last@maven-crm.example because the file has none (the user entity requires one).
 * - companies: sector → industry (the file's "technolgy" typo corrected to "technology"), revenue is in
 *   millions of USD → annualRevenue in cents, office_location → country, subsidiary_of → parentCompanyId.
 * - products: sales_price → unitPrice in USD cents; the pipeline's "GTXPro" is "GTX Pro" of the
 *   catalogue (names compared without case, spaces or punctuation).
 * - deals: Won → closedWon, Lost → closedLost, Prospecting → prospecting, Engaging → qualification
 *   (the rep is in conversation and qualifying the buyer; nothing in the file says a proposal was
 *   made). The amount is the close value for won deals and the product's list price otherwise
 *   (a lost deal's close value is always 0 in the file; the line item keeps what was at stake).
 *   engage_date → createdAt, close_date → closedAt (closed) with stageChangedAt; the agent → owner;
 *   the account → company (blank account: no company, still imported); a line item per deal for its
 *   product. The deal's name is "<product> · <account> · <opportunity id>" (the id keeps it unique).
 */

export interface MavenFiles {
  readonly accounts: ImportTable;
  readonly products: ImportTable;
  readonly salesTeams: ImportTable;
  readonly pipeline: ImportTable;
}

export interface MavenSummary {
  readonly users: number;
  readonly groups: number;
  readonly members: number;
  readonly products: number;
  readonly companies: number;
  readonly deals: number;
  readonly lineItems: number;
  readonly problems: readonly RowProblem[];
}

type Plain = Record<string, unknown>;

const col = (table: ImportTable, name: string) => table.headers.indexOf(name);
const cell = (table: ImportTable, row: readonly string[], name: string) => (row[col(table, name)] ?? '').trim();

const STAGES: Readonly<Record<string, 'closedWon' | 'closedLost' | 'qualification' | 'prospecting'>> = {
  won: 'closedWon',
  lost: 'closedLost',
  engaging: 'qualification',
  prospecting: 'prospecting',
};

async function roleIds(repos: Repositories): Promise<{ rep: string; manager: string }> {
  const roles = await repos.userRole.list();
  const find = async (role: 'rep' | 'manager') => {
    const id = BUILT_IN_ROLE_IDS[role];
    const text = BUILT_IN_ROLE_TEXT[role];
    const found = roles.find((r) => r.id === id || looseKey(r.name) === looseKey(text.name));
    if (found) return found.id;
    await repos.userRole.create({ id, ...text, permissions: builtInPermissions(role), isSystem: true });
    return id;
  };
  return { rep: await find('rep'), manager: await find('manager') };
}

function person(name: string) {
  const [first = name, ...rest] = name.split(' ');
  const last = rest.join(' ') || first;
  return { firstName: first, lastName: last, email: `${looseKey(first)}.${looseKey(last)}@maven-crm.example` };
}

/** Users and groups from the teams file; returns agent name → user id. */
async function importTeams(repos: Repositories, teams: ImportTable) {
  const roles = await roleIds(repos);
  const existing = new Map((await repos.user.list()).map((u) => [u.email, u.id]));
  const userIds = new Map<string, string>();
  const ensureUser = async (name: string, role: 'rep' | 'manager', extra: Plain) => {
    const p = person(name);
    let id = existing.get(p.email);
    if (!id) {
      const title = role === 'rep' ? 'Sales agent' : 'Sales manager';
      id = (await repos.user.create({ ...p, roleId: roles[role], title, defaultCurrency: 'USD', ...extra })).id;
      existing.set(p.email, id);
    }
    userIds.set(name, id);
    return id;
  };
  const groups = new Map<string, string>();
  const ensureGroup = async (name: string, values: Plain) => {
    let id = groups.get(name);
    if (!id) {
      id = (await repos.userGroup.create({ name, ...values } as Parameters<typeof repos.userGroup.create>[0])).id;
      groups.set(name, id);
    }
    return id;
  };
  let members = 0;
  for (const row of teams.rows) {
    const [agent, manager, office] = ['sales_agent', 'manager', 'regional_office'].map((n) => cell(teams, row, n));
    if (!agent || !manager || !office) continue;
    const officeGroup = await ensureGroup(`${office} office`, { region: office, description: 'Regional office' });
    const isNewManager = !userIds.has(manager);
    const managerId = await ensureUser(manager, 'manager', { territory: office });
    const team = await ensureGroup(`${manager}\u2019s team`, { region: office, managerId, parentGroupId: officeGroup });
    if (isNewManager) {
      await repos.userGroupMember.create({ groupId: team, userId: managerId, role: 'lead' });
      members += 1;
    }
    const agentId = await ensureUser(agent, 'rep', { territory: office, managerId });
    await repos.userGroupMember.create({ groupId: team, userId: agentId, role: 'member' });
    members += 1;
  }
  return { userIds, users: userIds.size, groups: groups.size, members };
}

async function importProducts(repos: Repositories, products: ImportTable) {
  const existing = await repos.product.list();
  const byName = new Map(existing.map((p) => [looseKey(p.name), p]));
  let created = 0;
  for (const row of products.rows) {
    const name = cell(products, row, 'product');
    if (!name || byName.has(looseKey(name))) continue;
    const price = parseNumber(cell(products, row, 'sales_price')) ?? 0;
    const series = cell(products, row, 'series');
    const product = await repos.product.create({
      name,
      unitPrice: Math.round(price * 100),
      currency: 'USD',
      ...(series ? { series } : {}),
    });
    byName.set(looseKey(name), product);
    created += 1;
  }
  return { byName, created };
}

/** Accounts through the generic pipeline (parents left for a second pass), then each parent set. */
async function importAccounts(repos: Repositories, accounts: ImportTable, journal: JournalStore, batchId: string) {
  const revenue = col(accounts, 'revenue');
  const sector = col(accounts, 'sector');
  const table: ImportTable = {
    headers: accounts.headers,
    rows: accounts.rows.map((row) =>
      row.map((value, i) => {
        if (i === sector && value.trim().toLowerCase() === 'technolgy') return 'technology';
        if (i === revenue && value.trim()) return String(Math.round((parseNumber(value) ?? 0) * 1_000_000));
        return value;
      }),
    ),
  };
  const mapping = matchColumns(table.headers, repos.company.entity).map((m) =>
    m.header === 'office_location' ? 'country' : m.field === 'parentCompanyId' ? undefined : m.field,
  );
  const plan = await prepareImport(repos, 'company', table, {
    mapping,
    onDuplicate: 'update',
    defaults: { type: 'customer', revenueCurrency: 'USD' },
  });
  const result = await executeImport(repos, 'company', plan, {
    batchId,
    fileName: 'accounts.csv',
    headers: table.headers,
    mapping,
    journal,
  });
  const byName = new Map((await repos.company.list()).map((c) => [looseKey(c.name), c.id]));
  const problems = [...result.problems];
  const parentUpdates: [string, string][] = [];
  table.rows.forEach((row, i) => {
    const parent = cell(table, row, 'subsidiary_of');
    if (!parent) return;
    const id = byName.get(looseKey(cell(table, row, 'account')));
    const parentId = byName.get(looseKey(parent));
    if (!parentId) problems.push({ row: i + 2, column: 'subsidiary_of', problem: `no company "${parent}" found` });
    else if (id) parentUpdates.push([id, parentId]);
  });
  for (const [id, parentCompanyId] of parentUpdates) await repos.company.update(id, { parentCompanyId });
  return { byName, created: result.created + result.updated, problems };
}

interface DealContext {
  readonly owners: ReadonlyMap<string, string>;
  readonly products: ReadonlyMap<string, { id: string; unitPrice: number }>;
  readonly companies: ReadonlyMap<string, string>;
  readonly tag: string;
}

/** One opportunity → deal input, or the problems that keep it out (named by row and column). */
function dealInput(pipeline: ImportTable, row: readonly string[], index: number, ctx: DealContext) {
  const get = (name: string) => cell(pipeline, row, name);
  const problems: RowProblem[] = [];
  const at = index + 2;
  const problem = (column: string, text: string) => problems.push({ row: at, column, problem: text });
  const stage = STAGES[looseKey(get('deal_stage'))];
  if (!stage) problem('deal_stage', `"${get('deal_stage')}" is not Won, Lost, Engaging or Prospecting`);
  const ownerId = ctx.owners.get(get('sales_agent'));
  if (!ownerId) problem('sales_agent', `no sales agent "${get('sales_agent')}" in the teams file`);
  const product = ctx.products.get(looseKey(get('product')));
  if (!product) problem('product', `no product "${get('product')}" in the catalogue`);
  const account = get('account');
  const companyId = account ? ctx.companies.get(looseKey(account)) : undefined;
  if (account && !companyId) problem('account', `no account "${account}"`);
  const closedAt = get('close_date') ? parseDateTime(get('close_date')) : undefined;
  const createdAt = get('engage_date') ? parseDateTime(get('engage_date')) : undefined;
  if (get('close_date') && !closedAt) problem('close_date', `"${get('close_date')}" is not a date`);
  if (get('engage_date') && !createdAt) problem('engage_date', `"${get('engage_date')}" is not a date`);
  const closeValue = parseNumber(get('close_value') || '0');
  if (closeValue === undefined) problem('close_value', `"${get('close_value')}" is not a number`);
  if (problems.length > 0 || !stage || !product || !ownerId) return { problems };
  const amount = stage === 'closedWon' ? Math.round((closeValue ?? 0) * 100) : product.unitPrice;
  const closed = stage === 'closedWon' || stage === 'closedLost';
  const input: Plain = {
    name: `${get('product')} \u00b7 ${account || 'no account'} \u00b7 ${get('opportunity_id')}`,
    stage,
    amount,
    currency: 'USD',
    probability: STAGE_PROBABILITY[stage],
    ownerId,
    source: 'import',
    type: 'newBusiness',
    tags: [ctx.tag],
    ...(companyId ? { companyId } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(closed && closedAt ? { closedAt, stageChangedAt: closedAt } : createdAt ? { stageChangedAt: createdAt } : {}),
  };
  return { problems, input, productId: product.id, listPrice: product.unitPrice };
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

type LooseRepo = {
  check(input: Plain): Promise<Plain>;
  bulkCreate(inputs: readonly Plain[]): Promise<{ written: number }>;
};

async function importDeals(repos: Repositories, pipeline: ImportTable, ctx: DealContext, chunk = 1000) {
  const dealRepo = repos.deal as unknown as LooseRepo;
  const lineRepo = repos.dealProduct as unknown as LooseRepo;
  const problems: RowProblem[] = [];
  let deals = 0;
  let lineItems = 0;
  for (let start = 0; start < pipeline.rows.length; start += chunk) {
    const valid: Plain[] = [];
    const lines: Plain[] = [];
    for (let i = start; i < Math.min(start + chunk, pipeline.rows.length); i++) {
      const planned = dealInput(pipeline, pipeline.rows[i] ?? [], i, ctx);
      problems.push(...planned.problems);
      if (!planned.input) continue;
      try {
        const doc = await dealRepo.check(planned.input);
        valid.push({ ...planned.input, id: doc.id });
        const amount = Number(planned.input.amount);
        lines.push({
          dealId: doc.id,
          productId: planned.productId,
          quantity: 1,
          unitPrice: amount,
          currency: 'USD',
          total: amount,
          description: `List price ${(planned.listPrice / 100).toFixed(2)} USD`,
        });
      } catch (error) {
        problems.push({ row: i + 2, column: '', problem: error instanceof Error ? error.message : String(error) });
      }
    }
    deals += (await dealRepo.bulkCreate(valid)).written;
    lineItems += (await lineRepo.bulkCreate(lines)).written;
    await pause();
  }
  return { deals, lineItems, problems };
}

/** Imports the four Maven files in dependency order; safe to run again (existing records are matched). */
export async function importMavenCrm(
  repos: Repositories,
  files: MavenFiles,
  journal: JournalStore,
  batchId: string,
): Promise<MavenSummary> {
  const teams = await importTeams(repos, files.salesTeams);
  const products = await importProducts(repos, files.products);
  const accounts = await importAccounts(repos, files.accounts, journal, batchId);
  const deals = await importDeals(repos, files.pipeline, {
    owners: teams.userIds,
    products: new Map([...products.byName].map(([k, p]) => [k, { id: p.id, unitPrice: p.unitPrice }])),
    companies: accounts.byName,
    tag: batchTag(batchId),
  });
  return {
    users: teams.users,
    groups: teams.groups,
    members: teams.members,
    products: products.created,
    companies: accounts.created,
    deals: deals.deals,
    lineItems: deals.lineItems,
    problems: [...accounts.problems, ...deals.problems],
  };
}
