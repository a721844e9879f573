import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../sync-server/src/app';
import { createPgliteDatabase, type Database } from '../../sync-server/src/db/database';

let db: Database;
beforeAll(async () => {
  db = await createPgliteDatabase();
});
afterAll(async () => {
  await db.close();
});

function preflight(app: ReturnType<typeof createApp>, origin: string) {
  return app.inject({
    method: 'OPTIONS',
    url: '/sync/contacts/pull',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describe('CORS', () => {
  it.each(['http://127.0.0.1:5173', 'http://localhost:5173', 'fieldcrm://app'])(
    'lets the renderer at %s call the API',
    async (origin) => {
      const app = createApp({ db });
      const response = await preflight(app, origin);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
      expect(String(response.headers['access-control-allow-headers'])).toContain('authorization');
      await app.close();
    },
  );

  it.each(['https://evil.example', 'http://127.0.0.1:5174', 'http://127.0.0.1:5173.evil.example', 'null'])(
    'gives %s no access',
    async (origin) => {
      const app = createApp({ db });
      const response = await preflight(app, origin);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      await app.close();
    },
  );

  it('takes its allow-list from the options', async () => {
    const app = createApp({ db, corsOrigins: ['https://crm.example.com'] });
    expect((await preflight(app, 'https://crm.example.com')).headers['access-control-allow-origin']).toBe(
      'https://crm.example.com',
    );
    expect((await preflight(app, 'http://127.0.0.1:5173')).headers['access-control-allow-origin']).toBeUndefined();
    await app.close();
  });
});
