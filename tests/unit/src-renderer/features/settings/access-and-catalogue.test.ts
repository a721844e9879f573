import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addGroupMember,
  inviteUser,
  removeGroupMember,
  saveGroup,
  setUserStatus,
  updateUser,
} from '../../../../../src-renderer/features/settings/access.service';
import {
  addExchangeRate,
  createCurrency,
  ratesInForce,
} from '../../../../../src-renderer/features/settings/catalogue.service';
import {
  maskSecret,
  parseConfig,
  redactConfig,
  redactUrl,
  saveIntegration,
  setIntegrationEnabled,
} from '../../../../../src-renderer/features/settings/integrations.service';
import {
  createWorkflow,
  saveWorkflowRules,
  setWorkflowActive,
} from '../../../../../src-renderer/features/settings/workflows.service';
import { ValidationError } from '../../../../../src-shared/schema/validation-error';
import { openTestDb, type TestDb } from '../../../../support/local-db';

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb();
});
afterEach(async () => {
  await t.close();
});

async function problemsOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems;
}

async function role() {
  return t.repos.userRole.create({ name: 'Rep', permissions: {} });
}

describe('users', () => {
  it('invites a user with a new email and a real role', async () => {
    const r = await role();
    const user = await inviteUser(t.repos, {
      email: ' Ada@Example.com ',
      firstName: 'Ada',
      lastName: 'L',
      roleId: r.id,
    });
    expect(user).toMatchObject({ email: 'ada@example.com', status: 'invited' });
    expect(
      await problemsOf(inviteUser(t.repos, { email: 'ada@example.com', firstName: 'A', lastName: 'B', roleId: r.id })),
    ).toEqual([{ field: 'email', problem: 'ada@example.com already belongs to Ada L' }]);
    expect(
      await problemsOf(
        inviteUser(t.repos, { email: 'b@example.com', firstName: 'B', lastName: 'B', roleId: 'role_x' }),
      ),
    ).toEqual([{ field: 'roleId', problem: 'is not a role of this organisation' }]);
    expect(
      (await problemsOf(inviteUser(t.repos, { email: 'not-an-email', firstName: 'B', lastName: 'B', roleId: r.id })))[0]
        ?.field,
    ).toBe('email');
    expect(await t.repos.user.count()).toBe(1);
  });

  it('refuses a manager loop and disabling yourself', async () => {
    const r = await role();
    const a = await inviteUser(t.repos, { email: 'a@x.example', firstName: 'A', lastName: 'A', roleId: r.id });
    const b = await inviteUser(t.repos, {
      email: 'b@x.example',
      firstName: 'B',
      lastName: 'B',
      roleId: r.id,
      managerId: a.id,
    });
    expect(await problemsOf(updateUser(t.repos, a.id, { managerId: a.id }))).toEqual([
      { field: 'managerId', problem: 'cannot be the user themselves' },
    ]);
    expect(await problemsOf(updateUser(t.repos, a.id, { managerId: b.id }))).toEqual([
      { field: 'managerId', problem: 'would make a loop of managers' },
    ]);
    expect(await problemsOf(setUserStatus(t.repos, a.id, 'disabled', a.id))).toEqual([
      { field: 'status', problem: 'you cannot disable yourself' },
    ]);
    expect((await setUserStatus(t.repos, b.id, 'disabled', a.id)).status).toBe('disabled');
  });
});

describe('groups', () => {
  it('adds members once, restores a removed membership, refuses a group inside itself', async () => {
    const r = await role();
    const u = await inviteUser(t.repos, { email: 'a@x.example', firstName: 'Ann', lastName: 'Lee', roleId: r.id });
    const emea = await saveGroup(t.repos, undefined, { name: 'EMEA' });
    const member = await addGroupMember(t.repos, emea.id, u.id);
    expect(await problemsOf(addGroupMember(t.repos, emea.id, u.id))).toEqual([
      { field: 'userId', problem: 'Ann Lee is already in EMEA' },
    ]);
    expect(await problemsOf(addGroupMember(t.repos, emea.id, ''))).toEqual([
      { field: 'userId', problem: 'is required' },
    ]);
    await removeGroupMember(t.repos, member.id);
    const again = await addGroupMember(t.repos, emea.id, u.id, 'lead');
    expect(again).toMatchObject({ id: member.id, isDeleted: false, role: 'lead' });
    const dach = await saveGroup(t.repos, undefined, { name: 'DACH', parentGroupId: emea.id });
    expect(await problemsOf(saveGroup(t.repos, emea.id, { name: 'EMEA', parentGroupId: dach.id }))).toEqual([
      { field: 'parentGroupId', problem: 'would put the group inside itself' },
    ]);
  });
});

describe('currencies and rates', () => {
  it('refuses a duplicate code, a same-pair same-day rate and a rate to itself', async () => {
    await createCurrency(t.repos, { code: 'eur', name: 'Euro' });
    expect(await problemsOf(createCurrency(t.repos, { code: 'EUR', name: 'Euro again' }))).toEqual([
      { field: 'code', problem: 'EUR is already in the list' },
    ]);
    await addExchangeRate(t.repos, {
      baseCurrency: 'USD',
      quoteCurrency: 'EUR',
      rate: 0.92,
      effectiveDate: '2026-11-01',
    });
    expect(
      (
        await problemsOf(
          addExchangeRate(t.repos, {
            baseCurrency: 'usd',
            quoteCurrency: 'EUR',
            rate: 0.9,
            effectiveDate: '2026-11-01',
          }),
        )
      )[0]?.field,
    ).toBe('effectiveDate');
    expect(
      await problemsOf(
        addExchangeRate(t.repos, { baseCurrency: 'USD', quoteCurrency: 'USD', rate: 1, effectiveDate: '2026-11-02' }),
      ),
    ).toEqual([{ field: 'quoteCurrency', problem: 'must differ from the base currency' }]);
    expect(
      (
        await problemsOf(
          addExchangeRate(t.repos, {
            baseCurrency: 'USD',
            quoteCurrency: 'GBP',
            rate: -1,
            effectiveDate: '2026-11-02',
          }),
        )
      )[0]?.field,
    ).toBe('rate');
  });

  it('refuses a bad product or currency edit through the registry, naming the field', async () => {
    expect(
      (await problemsOf(t.repos.product.create({ name: 'Seat', unitPrice: -100, currency: 'USD' })))[0]?.field,
    ).toBe('unitPrice');
    const eur = await createCurrency(t.repos, { code: 'EUR', name: 'Euro' });
    expect((await problemsOf(t.repos.currency.update(eur.id, { decimals: 9 })))[0]?.field).toBe('decimals');
    expect(await problemsOf(createCurrency(t.repos, { code: 'EURO', name: 'Euro' }))).toHaveLength(1);
  });

  it('picks the rate in force per pair on a day', () => {
    const rates = [
      { id: '1', baseCurrency: 'USD', quoteCurrency: 'EUR', rate: 0.9, effectiveDate: '2026-10-01' },
      { id: '2', baseCurrency: 'USD', quoteCurrency: 'EUR', rate: 0.92, effectiveDate: '2026-11-01' },
      { id: '3', baseCurrency: 'USD', quoteCurrency: 'EUR', rate: 0.95, effectiveDate: '2026-12-01' },
      { id: '4', baseCurrency: 'EUR', quoteCurrency: 'GBP', rate: 0.85, effectiveDate: '2026-09-01' },
    ];
    expect(ratesInForce(rates, '2026-11-15').map((r) => r.id)).toEqual(['4', '2']);
  });
});

describe('integrations', () => {
  it('never shows a secret in full', () => {
    expect(maskSecret('sk_live_1234567890abcd')).toBe('••••••••abcd');
    expect(maskSecret('short')).toBe('••••••••');
    expect(redactConfig({ account: 'ops@x.example', nested: { apiKey: 'abcdefghijkl' }, retries: 3 })).toEqual({
      account: 'ops@x.example',
      nested: { apiKey: '••••••••ijkl' },
      retries: 3,
    });
    expect(redactUrl('https://bob:hunter2hunter2@hooks.example/in?token=abcdefghijklmnop&x=1')).toBe(
      'https://bob:redacted@hooks.example/in?token=••••••••mnop&x=1',
    );
  });

  it('refuses credentials in settings and bad JSON, naming the field', async () => {
    expect(
      await problemsOf(
        saveIntegration(t.repos, undefined, {
          name: 'Hook',
          provider: 'webhook',
          endpointUrl: 'https://hooks.example/in',
          config: { retries: 3, auth: { clientSecret: 'abc123abc123' } },
        }),
      ),
    ).toEqual([
      {
        field: 'config.auth.clientSecret',
        problem: 'looks like a secret: credentials are kept on the server or in the OS keychain, not in settings',
      },
    ]);
    expect(() => parseConfig('{ retries: 3 }')).toThrow(/config must be JSON/);
    expect(() => parseConfig('[1]')).toThrow(/config must be a JSON object/);
    expect(await problemsOf(saveIntegration(t.repos, undefined, { name: 'Hook', provider: 'webhook' }))).toEqual([
      { field: 'endpointUrl', problem: 'is required for a webhook' },
    ]);
    const ok = await saveIntegration(t.repos, undefined, {
      name: 'Slack',
      provider: 'slack',
      config: parseConfig('{"channel":"#sales"}'),
    });
    expect((await setIntegrationEnabled(t.repos, ok.id, true)).status).toBe('active');
  });
});

describe('workflows', () => {
  it('creates inactive, checks the rules JSON and activates only with an action', async () => {
    const wf = await createWorkflow(t.repos, { name: 'Follow up', entityKind: 'deal', trigger: 'stageChanged' });
    expect(wf).toMatchObject({ active: false, actions: [] });
    expect(await problemsOf(setWorkflowActive(t.repos, wf.id, true))).toEqual([
      { field: 'actions', problem: 'needs at least one action before the workflow can be active' },
    ]);
    expect((await problemsOf(saveWorkflowRules(t.repos, wf.id, { conditions: '{', actions: '[]' })))[0]?.field).toBe(
      'conditions',
    );
    expect(await problemsOf(saveWorkflowRules(t.repos, wf.id, { conditions: '', actions: '[{"title":"x"}]' }))).toEqual(
      [{ field: 'actions[0]', problem: 'must be an object with a "type"' }],
    );
    expect(
      (await problemsOf(createWorkflow(t.repos, { name: 'Nightly', entityKind: 'deal', trigger: 'scheduled' })))[0]
        ?.field,
    ).toBe('schedule');
    await saveWorkflowRules(t.repos, wf.id, { conditions: '{"all":[]}', actions: '[{"type":"createTask"}]' });
    expect((await setWorkflowActive(t.repos, wf.id, true)).active).toBe(true);
    expect(await problemsOf(saveWorkflowRules(t.repos, wf.id, { conditions: '', actions: '[]' }))).toEqual([
      { field: 'actions', problem: 'an active workflow needs at least one action' },
    ]);
  });
});
