import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../sync-server/src/config';

describe('sync server config', () => {
  it('defaults to embedded PGlite under .data/pglite, port 3300, loopback only', () => {
    expect(loadConfig({}, '/srv/crm')).toEqual({
      databaseUrl: undefined,
      dataDir: '/srv/crm/.data/pglite',
      port: 3300,
      host: '127.0.0.1',
      logLevel: 'info',
    });
  });

  it('reads every variable; blank counts as unset', () => {
    const env = {
      DATABASE_URL: 'postgres://u@db/crm',
      DATA_DIR: '/var/crm',
      PORT: '0',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'DEBUG',
    };
    expect(loadConfig(env, '/x')).toEqual({
      databaseUrl: 'postgres://u@db/crm',
      dataDir: '/var/crm',
      port: 0,
      host: '0.0.0.0',
      logLevel: 'debug',
    });
    expect(loadConfig({ DATABASE_URL: '  ', PORT: '' }, '/x')).toMatchObject({ databaseUrl: undefined, port: 3300 });
  });

  it.each([
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: 'http' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('names the bad variable (%s)', (variable, env) => {
    const error = (() => {
      try {
        loadConfig(env, '/x');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variable });
  });
});
