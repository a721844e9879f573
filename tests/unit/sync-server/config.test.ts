import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../sync-server/src/config';
import { DEFAULT_RATE_LIMITS } from '../../../sync-server/src/http/rate-limit';

describe('sync server config', () => {
  it('defaults to embedded PGlite under .data/pglite, port 3300, loopback only', () => {
    expect(loadConfig({}, '/srv/crm')).toEqual({
      databaseUrl: undefined,
      dataDir: '/srv/crm/.data/pglite',
      port: 3300,
      host: '127.0.0.1',
      logLevel: 'info',
      rateLimits: DEFAULT_RATE_LIMITS,
      trustProxy: false,
      maxDocumentBytes: 256 * 1024,
    });
  });

  it('reads every variable; blank counts as unset', () => {
    const env = {
      DATABASE_URL: 'postgres://u@db/crm',
      DATA_DIR: '/var/crm',
      PORT: '0',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'DEBUG',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '5',
      RATE_LIMIT_LOGIN_PER_ADDRESS: '0',
      RATE_LIMIT_LOGIN_WINDOW_SECONDS: '60',
      RATE_LIMIT_SYNC_PER_MINUTE: '300',
      TRUST_PROXY: '10.1.2.3',
      MAX_DOCUMENT_BYTES: '65536',
    };
    expect(loadConfig(env, '/x')).toEqual({
      databaseUrl: 'postgres://u@db/crm',
      dataDir: '/var/crm',
      port: 0,
      host: '0.0.0.0',
      logLevel: 'debug',
      rateLimits: { loginPerAccount: 5, loginPerAddress: 0, loginWindowSeconds: 60, syncPerMinute: 300 },
      trustProxy: ['10.1.2.3'],
      maxDocumentBytes: 65536,
    });
    expect(loadConfig({ DATABASE_URL: '  ', PORT: '' }, '/x')).toMatchObject({ databaseUrl: undefined, port: 3300 });
  });

  it('takes good values of the variables other modules read at start', () => {
    const env = {
      PUBLIC_URL: 'https://crm.example.com/base',
      CORS_ORIGINS: 'http://127.0.0.1:5173, https://app.example.com',
      SMTP_PORT: '465',
      RETENTION_SCHEDULE: '0 3 * * *',
    };
    expect(loadConfig(env, '/x').corsOrigins).toEqual(['http://127.0.0.1:5173', 'https://app.example.com']);
  });

  it('reads TRUST_PROXY as off or a list of proxy addresses and CIDRs', () => {
    expect(loadConfig({ TRUST_PROXY: 'off' }, '/x').trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }, '/x').trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.4,fd00::/8, ::1' }, '/x').trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.4',
      'fd00::/8',
      '::1',
    ]);
  });

  it.each([
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: 'http' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['RATE_LIMIT_SYNC_PER_MINUTE', { RATE_LIMIT_SYNC_PER_MINUTE: '-1' }],
    ['RATE_LIMIT_LOGIN_PER_ACCOUNT', { RATE_LIMIT_LOGIN_PER_ACCOUNT: 'lots' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'true' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.1, balancer.internal' }],
    ['TRUST_PROXY', { TRUST_PROXY: '::1/129' }],
    ['TRUST_PROXY', { TRUST_PROXY: '1' }],
    ['TRUST_PROXY', { TRUST_PROXY: ' , ' }],
    ['MAX_DOCUMENT_BYTES', { MAX_DOCUMENT_BYTES: '256k' }],
    ['MAX_DOCUMENT_BYTES', { MAX_DOCUMENT_BYTES: '-1' }],
    // Read by other modules at start; a stack trace there, or (PUBLIC_URL, CORS_ORIGINS) taken as is.
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp:/x' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'crm.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com/' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'http://127.0.0.1:5173, app.example.com' }],
    ['SMTP_PORT', { SMTP_PORT: 'x' }],
    ['SMTP_PORT', { SMTP_PORT: '0' }],
    ['RETENTION_SCHEDULE', { RETENTION_SCHEDULE: 'bogus' }],
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
