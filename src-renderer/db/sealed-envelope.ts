/**
 * The ciphertext formats of the local database (field-encryption-storage.ts stores them):
 * - v2, an envelope per document: `e2.` + base64(iv ‖ AES-GCM(JSON({field: value, ...}))), with
 *   the collection and the document's id as additional data, so an envelope copied onto another
 *   document (or collection) does not decrypt there;
 * - v1, per field (read only, for documents written before v2): `e1.` + base64(iv ‖
 *   AES-GCM(JSON(value))), the field's path as additional data.
 * Both use the same AES-256-GCM key, derived from the database key.
 */
const ENVELOPE_PREFIX = 'e2.';
const FIELD_PREFIX = 'e1.';
const IV_BYTES = 12;
/** AES-GCM's tag: a shorter body cannot be a ciphertext. */
const TAG_BYTES = 16;

/** Where a ciphertext was found, for the error that names it. */
export interface Location {
  collection: string;
  id: string;
}

/**
 * The database key cannot decrypt what is stored: another key, or damaged (or altered) data. Names
 * the collection and the document, and the field for v1 values.
 */
export class DatabaseKeyError extends Error {
  override readonly name = 'DatabaseKeyError';
  constructor(
    message: string,
    readonly collection?: string,
    readonly documentId?: string,
  ) {
    super(message);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** AES-256-GCM from the database key. HKDF, not PBKDF2: the key is random, or already stretched. */
export async function aesKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('fieldcrm.local-db'), info: encoder.encode('fields.v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Each base64 digit's character code. */
const DIGITS = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = '='.charCodeAt(0);
/** A character code's 6-bit value, 255 when it is no base64 digit. */
const VALUES = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * Standard base64 with padding, as btoa writes it. The digits go into a byte array that one native
 * decode turns into a flat string. A string grown a few digits at a time (the table this replaced)
 * is a tree of ~110 linked strings per envelope: 6.6 µs against 1.4 µs here (300-byte envelopes,
 * Node 20), and the tree stays reachable while its document's batch is written, long enough to be
 * copied and promoted by the young-generation collector. Where that write is JS in the same heap
 * (fake-indexeddb, hundreds of ms a batch) it showed: B4's pull of 20k contacts (probe-b4, old vs
 * new alternating, medians of 3) 4,398 -> 3,522 ms, CPU 5,744 -> 4,366 ms. In Chromium, whose
 * IndexedDB does its work outside the page, the renderer's CPU moved by less than the noise (-5%,
 * as did the floor's). btoa would need a binary string built byte by byte first.
 */
export function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let at = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[at++] = DIGITS[n >>> 18] as number;
    out[at++] = DIGITS[(n >>> 12) & 63] as number;
    out[at++] = DIGITS[(n >>> 6) & 63] as number;
    out[at++] = DIGITS[n & 63] as number;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = ((bytes[whole] as number) << 16) | (rest === 2 ? (bytes[whole + 1] as number) << 8 : 0);
    out[at++] = DIGITS[n >>> 18] as number;
    out[at++] = DIGITS[(n >>> 12) & 63] as number;
    out[at++] = rest === 2 ? (DIGITS[(n >>> 6) & 63] as number) : PAD;
    out[at] = PAD;
  }
  return decoder.decode(out);
}

/** The bytes of standard, padded base64; null when the text is not that. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (text.length % 4 !== 0) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const c0 = VALUES[text.charCodeAt(i)] ?? 255;
    const c1 = VALUES[text.charCodeAt(i + 1)] ?? 255;
    const c2 = last && padding === 2 ? 0 : (VALUES[text.charCodeAt(i + 2)] ?? 255);
    const c3 = last && padding >= 1 ? 0 : (VALUES[text.charCodeAt(i + 3)] ?? 255);
    if ((c0 | c1 | c2 | c3) > 63) return null;
    const n = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    bytes[at++] = n >>> 16;
    if (at < bytes.length) bytes[at++] = (n >>> 8) & 0xff;
    if (at < bytes.length) bytes[at++] = n & 0xff;
  }
  return bytes;
}

/** null when the text is not base64 or too short to hold an IV and a tag. */
function ciphertextBytes(text: string): Uint8Array<ArrayBuffer> | null {
  const bytes = fromBase64(text);
  return bytes && bytes.length >= IV_BYTES + TAG_BYTES ? bytes : null;
}

async function encrypt(key: CryptoKey, aad: string, plain: string, prefix: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(aad) },
    key,
    encoder.encode(plain),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return prefix + toBase64(out);
}

/** The plain text, or null when it does not decrypt (wrong key, altered bytes, other AAD). */
async function decrypt(key: CryptoKey, aad: string, bytes: Uint8Array<ArrayBuffer>): Promise<string | null> {
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(aad) },
      key,
      bytes.subarray(IV_BYTES),
    );
    return decoder.decode(plain);
  } catch {
    return null;
  }
}

/** The additional data of a v2 envelope: which document of which collection it belongs to. */
export function documentAad(collection: string, id: unknown): string {
  return `fieldcrm.v2|${collection}|${String(id)}`;
}

/** One encryption for all of a document's sealed fields. */
export function sealFields(key: CryptoKey, fields: Record<string, unknown>, aad: string): Promise<string> {
  return sealText(key, JSON.stringify(fields), aad);
}

/** An envelope of fields already printed as JSON (a caller that keeps the text to compare later). */
export function sealText(key: CryptoKey, json: string, aad: string): Promise<string> {
  return encrypt(key, aad, json, ENVELOPE_PREFIX);
}

/** The fields of a v2 envelope; DatabaseKeyError naming the document when it is not one of ours. */
export async function openFields(
  key: CryptoKey,
  envelope: unknown,
  aad: string,
  at: Location,
): Promise<Record<string, unknown>> {
  return fieldsOf(await openText(key, envelope, aad, at), at);
}

function damagedError(at: Location, reason: string): DatabaseKeyError {
  return new DatabaseKeyError(
    `${at.collection} document "${at.id}": its encrypted fields ${reason}`,
    at.collection,
    at.id,
  );
}

/** The JSON text a v2 envelope holds; DatabaseKeyError naming the document when it is not one of ours. */
export async function openText(key: CryptoKey, envelope: unknown, aad: string, at: Location): Promise<string> {
  if (typeof envelope !== 'string' || !envelope.startsWith(ENVELOPE_PREFIX)) {
    throw damagedError(at, 'are not an encrypted envelope (damaged data)');
  }
  const bytes = ciphertextBytes(envelope.slice(ENVELOPE_PREFIX.length));
  if (!bytes) throw damagedError(at, 'are not an encrypted envelope (damaged data)');
  const plain = await decrypt(key, aad, bytes);
  if (plain === null)
    throw damagedError(at, "do not decrypt with this device's database key (another key, or damaged data)");
  return plain;
}

/** The fields an envelope's JSON text holds. */
export function fieldsOf(json: string, at: Location): Record<string, unknown> {
  const fields = JSON.parse(json) as unknown;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw damagedError(at, 'decrypt to something other than fields');
  }
  return fields as Record<string, unknown>;
}

export interface FieldCipher {
  /** v1: only tests write it now, to check that such documents still read. */
  encrypt(path: string, value: unknown): Promise<string>;
  /** A v1 value decrypted; any other value (written before encryption) as it is. */
  decrypt(path: string, stored: unknown, at?: Location): Promise<unknown>;
}

/** The v1 per-field format: a field's path is its additional data. */
export function createFieldCipher(secret: string): FieldCipher {
  const key = aesKey(secret);
  return {
    async encrypt(path, value) {
      return encrypt(await key, path, JSON.stringify(value), FIELD_PREFIX);
    },
    async decrypt(path, stored, at) {
      if (typeof stored !== 'string' || !stored.startsWith(FIELD_PREFIX)) return stored;
      const where = at ? `${at.collection} document "${at.id}", field "${path}"` : `field "${path}"`;
      const bytes = ciphertextBytes(stored.slice(FIELD_PREFIX.length));
      const plain = bytes && (await decrypt(await key, path, bytes));
      if (plain === null || plain === undefined) {
        throw new DatabaseKeyError(
          `${where} does not decrypt with this device's database key (another key, or damaged data)`,
          at?.collection,
          at?.id,
        );
      }
      return JSON.parse(plain) as unknown;
    },
  };
}
