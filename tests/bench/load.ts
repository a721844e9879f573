import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BUILT_IN_ROLE_IDS, builtInPermissions } from '../../src-shared/auth/built-in-roles';
import type { PullResponse, PushResponse, SyncCheckpoint, WireDoc } from '../../src-shared/sync/protocol';
import { signAccessToken, signingKey } from '../../sync-server/src/auth/tokens';
import { createPgDatabase } from '../../sync-server/src/db/database';
import { migrate } from '../../sync-server/src/db/migrate';
import { doc, seed } from '../integration/sync-scope-fixtures';
import { createTestDatabase } from '../support/postgres';
import { emit, median, percentile, round } from './bench-support';

/**
 * LOAD (issue 8): CLIENTS simulated devices of as many signed-in users sync at once against ONE
 * real server process (`sync-server/src/index.ts`, JWT auth, rate limits and automation on, as
 * `npm run server` runs it) on a fresh Postgres database, all on this 2-core machine over loopback.
 *
 * Each client: opens the live stream (SSE), pulls contacts and deals from an empty checkpoint in
 * pages of 200 (its role's scope: a rep sees their own records, a manager their team's), then until
 * the end of the run, every 1–3 s, edits one of its own contacts (push with the state it last saw)
 * and pulls contacts from its checkpoint. Latency is client-observed, per request.
 *
 * Baseline, in the same run: the same workload with ONE client (the single-client figures the sync
 * issue measures). value = p99 pull under load; ratio = value ÷ single-client p99 pull.
 * rss_mb is the server process's peak resident set (VmHWM), which the clients do not share.
 * Tokens are signed with the server's secret: sign-in (argon2id) is not part of the load.
 */
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 40);
const TEAMS = 20;
const CONTACTS_PER_USER = 40;
const DEALS_PER_USER = 10;
const PAGE = 200;
const SECRET = 'the LOAD benchmark secret, long enough for HS256 keys: 0123456789';

interface User {
  id: string;
  role: 'manager' | 'rep';
  team: number;
}

function organisation(clients: number): User[] {
  const users: User[] = [];
  for (let i = 0; i < clients; i++) {
    const team = i % TEAMS;
    // The first user of each team manages it.
    users.push({ id: `load_u${i}`, role: i < TEAMS ? 'manager' : 'rep', team });
  }
  return users;
}

async function seedOrganisation(url: string, users: User[]): Promise<void> {
  const db = createPgDatabase(url, { max: 4 });
  try {
    await migrate(db);
    await seed(
      db,
      'settings',
      (['admin', 'manager', 'rep'] as const).map((role) =>
        doc('userRole', BUILT_IN_ROLE_IDS[role], { name: role, permissions: builtInPermissions(role), isSystem: true }),
      ),
    );
    await seed(
      db,
      'users',
      users.map((u) =>
        doc('user', u.id, { email: `${u.id}@example.com`, roleId: BUILT_IN_ROLE_IDS[u.role], ownerId: u.id }),
      ),
    );
    const teams = Array.from({ length: TEAMS }, (_, t) => t);
    await seed(db, 'settings', [
      ...teams.map((t) => doc('userGroup', `load_g${t}`, { name: `Team ${t}`, managerId: `load_u${t}` })),
      ...users.map((u) => doc('userGroupMember', `load_m_${u.id}`, { groupId: `load_g${u.team}`, userId: u.id })),
    ]);
    for (let start = 0; start < users.length; start += 25) {
      const slice = users.slice(start, start + 25);
      const owned = (kind: string, id: string, owner: string, extra: Record<string, unknown> = {}) =>
        doc(kind, id, { ownerId: owner, createdBy: owner, updatedBy: owner, ...extra });
      await seed(
        db,
        'contacts',
        slice.flatMap((u) =>
          Array.from({ length: CONTACTS_PER_USER }, (_, i) =>
            owned('contact', `${u.id}_c${i}`, u.id, { firstName: `Person ${i}`, lastName: u.id }),
          ),
        ),
      );
      await seed(
        db,
        'deals',
        slice.flatMap((u) =>
          Array.from({ length: DEALS_PER_USER }, (_, i) => owned('deal', `${u.id}_d${i}`, u.id, { name: `Deal ${i}` })),
        ),
      );
    }
  } finally {
    await db.close();
  }
}

interface Server {
  url: string;
  child: ChildProcess;
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** `npm run server` as a child process (node with tsx's loader, so the pid is the server's own). */
async function startServer(databaseUrl: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/index.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: SECRET,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`LOAD: the server exited (${code}): ${errors.slice(0, 2000)}`)));
  });
  return {
    url,
    child,
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      return Math.round(kb / 1024);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Samples {
  pull: number[];
  push: number[];
  errors: string[];
  conflicts: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function timedPost<T>(url: string, token: string, body: unknown, into: number[], samples: Samples) {
  const t0 = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    into.push(performance.now() - t0);
    if (!response.ok) {
      samples.errors.push(`${response.status} ${text.slice(0, 200)}`);
      return undefined;
    }
    return JSON.parse(text) as T;
  } catch (error) {
    samples.errors.push(String(error));
    return undefined;
  }
}

/** One device: stream open, initial pull of its scope, then edit-and-pull every 1–3 s until `until`. */
async function device(server: Server, user: User, token: string, until: number, samples: Samples): Promise<void> {
  const stream = new AbortController();
  const listening = fetch(`${server.url}/sync/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: stream.signal,
  })
    .then(async (response) => {
      if (!response.ok) samples.errors.push(`stream ${response.status}`);
      // Drain the events as a device would (it then pulls on its own schedule here).
      for await (const _ of response.body ?? []) {
        /* events ignored */
      }
    })
    .catch((error: unknown) => {
      if (!stream.signal.aborted) samples.errors.push(`stream ${String(error)}`);
    });

  const mine = new Map<string, WireDoc>();
  let contactsCheckpoint: SyncCheckpoint | null = null;
  const pullAll = async (collection: string, checkpoint: SyncCheckpoint | null) => {
    let at = checkpoint;
    for (;;) {
      const page = await timedPost<PullResponse>(
        `${server.url}/sync/${collection}/pull`,
        token,
        { checkpoint: at, limit: PAGE },
        samples.pull,
        samples,
      );
      if (!page) return at;
      if (collection === 'contacts')
        for (const d of page.documents) if (d.ownerId === user.id && !d._deleted) mine.set(d.id, d);
      if (page.documents.length === 0) return at;
      at = page.checkpoint;
    }
  };
  contactsCheckpoint = await pullAll('contacts', null);
  await pullAll('deals', null);

  const own = [...mine.keys()];
  let n = 0;
  while (Date.now() < until && own.length > 0) {
    await sleep(1000 + Math.random() * 2000);
    const id = own[n++ % own.length] as string;
    const assumed = mine.get(id) as WireDoc;
    const next = { ...assumed, jobTitle: `Edited ${n} by ${user.id}`, updatedAt: new Date().toISOString() };
    const result = await timedPost<PushResponse>(
      `${server.url}/sync/contacts/push`,
      token,
      { rows: [{ assumedMasterState: assumed, newDocumentState: next }] },
      samples.push,
      samples,
    );
    if (result) {
      samples.conflicts += result.conflicts.length;
      if (result.rejected.length > 0) samples.errors.push(`rejected ${JSON.stringify(result.rejected[0])}`);
    }
    contactsCheckpoint = await pullAll('contacts', contactsCheckpoint);
  }
  stream.abort();
  await listening;
}

async function runClients(server: Server, users: User[], seconds: number): Promise<Samples> {
  const key = signingKey(SECRET);
  const samples: Samples = { pull: [], push: [], errors: [], conflicts: 0 };
  const tokens = await Promise.all(
    users.map(
      async (u) => (await signAccessToken(key, { userId: u.id, roleId: BUILT_IN_ROLE_IDS[u.role] }, new Date())).token,
    ),
  );
  const until = Date.now() + seconds * 1000;
  // Devices come online over the first two seconds, not in one instant.
  await Promise.all(
    users.map(async (u, i) => {
      await sleep((i / users.length) * 2000);
      await device(server, u, tokens[i] as string, until, samples);
    }),
  );
  return samples;
}

const summary = (s: Samples) => ({
  p50_pull_ms: round(median(s.pull), 1),
  p99_pull_ms: round(percentile(s.pull, 99), 1),
  p50_push_ms: round(median(s.push), 1),
  p99_push_ms: round(percentile(s.push, 99), 1),
  pulls: s.pull.length,
  pushes: s.push.length,
  errors: s.errors.length,
});

export async function benchLoad(): Promise<void> {
  const pg = await createTestDatabase('crm_load');
  const users = organisation(CLIENTS);
  let server: Server | undefined;
  try {
    await seedOrganisation(pg.url, users);
    server = await startServer(pg.url);
    // A rep of a full team, alone: the figures the sync issue measures for one client.
    const single = await runClients(server, [users.find((u) => u.role === 'rep') ?? (users[0] as User)], SECONDS);
    process.stderr.write(`LOAD single client: ${JSON.stringify(summary(single))}\n`);
    const load = await runClients(server, users, SECONDS);
    const rss = server.peakRssMb();
    const s = summary(load);
    if (load.errors.length > 0) process.stderr.write(`LOAD errors (first 5): ${load.errors.slice(0, 5).join('\n')}\n`);
    emit({
      bench: 'LOAD',
      value: s.p99_pull_ms,
      unit: 'ms p99 pull',
      baseline: summary(single).p99_pull_ms,
      ratio: round(s.p99_pull_ms / Math.max(0.1, summary(single).p99_pull_ms)),
      clients: CLIENTS,
      errors: s.errors,
      p50_pull_ms: s.p50_pull_ms,
      p99_pull_ms: s.p99_pull_ms,
      p50_push_ms: s.p50_push_ms,
      p99_push_ms: s.p99_push_ms,
      rss_mb: rss,
      pulls: s.pulls,
      pushes: s.pushes,
      conflicts: load.conflicts,
      seconds: SECONDS,
      single_client: summary(single),
      records: CLIENTS * (CONTACTS_PER_USER + DEALS_PER_USER),
      server: 'one process, JWT, real Postgres, loopback; clients in the bench process',
    });
  } finally {
    await server?.stop();
    await pg.drop();
  }
}

export const benchId = 'LOAD';
export const run = () => benchLoad();
