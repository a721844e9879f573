import type { Repositories } from '../../db/repositories';
import { refuse, type Values } from './settings-errors';

/** Keys whose values are credentials: they are kept on the server or in the OS keychain, never here. */
const SECRET_KEY =
  /secret|token|password|passwd|api[-_]?key|apikey|private[-_]?key|credential|auth|signature|^sig$|^key$/i;

export const isSecretKey = (key: string) => SECRET_KEY.test(key);

/** A secret as the screen shows it: its last four characters at most, never the whole. */
export function maskSecret(value: unknown): string {
  const s = String(value ?? '');
  if (s.length <= 8) return '••••••••';
  return `••••••••${s.slice(-4)}`;
}

/** A copy of a settings object with every secret-looking value masked, at any depth. */
export function redactConfig(value: unknown, key = ''): unknown {
  if (key && isSecretKey(key) && (typeof value === 'string' || typeof value === 'number')) return maskSecret(value);
  if (Array.isArray(value)) return value.map((v) => redactConfig(v));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  }
  return value;
}

/** An endpoint with its user-info password and secret-looking query values masked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password) parsed.password = 'redacted';
  for (const [k, v] of [...parsed.searchParams.entries()])
    if (isSecretKey(k)) parsed.searchParams.set(k, maskSecret(v));
  return decodeURIComponent(parsed.toString());
}

/** The path of the first secret-looking key in a settings object, if any. */
export function secretPath(value: unknown, path = 'config'): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`;
    if (!Array.isArray(value) && isSecretKey(k) && (typeof v === 'string' || typeof v === 'number')) return here;
    const deeper = secretPath(v, here);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Parses the settings text of the form: empty is none; anything but a JSON object is refused. */
export function parseConfig(textValue: string): Record<string, unknown> | undefined {
  if (textValue.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(textValue);
  } catch (error) {
    refuse('externalIntegration', 'config', `must be JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    refuse('externalIntegration', 'config', 'must be a JSON object of settings');
  }
  return value as Record<string, unknown>;
}

function assertNoSecrets(config: unknown): void {
  const path = secretPath(config);
  if (path) {
    refuse(
      'externalIntegration',
      path,
      'looks like a secret: credentials are kept on the server or in the OS keychain, not in settings',
    );
  }
}

/** Creates or edits an integration; its settings may hold no credentials. */
export async function saveIntegration(repos: Repositories, id: string | undefined, values: Values) {
  assertNoSecrets(values.config);
  return id ? repos.externalIntegration.update(id, values as never) : repos.externalIntegration.create(values as never);
}

/** Turns an integration on (active) or off (paused). */
export async function setIntegrationEnabled(repos: Repositories, id: string, enabled: boolean) {
  return repos.externalIntegration.update(id, { status: enabled ? 'active' : 'paused' });
}
