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

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short for a 100k-character body.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** null when the text is not base64 or too short to hold an IV and a tag. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  if (binary.length < IV_BYTES + TAG_BYTES) return null;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
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
  return encrypt(key, aad, JSON.stringify(fields), ENVELOPE_PREFIX);
}

/** The fields of a v2 envelope; DatabaseKeyError naming the document when it is not one of ours. */
export async function openFields(
  key: CryptoKey,
  envelope: unknown,
  aad: string,
  at: Location,
): Promise<Record<string, unknown>> {
  const where = `${at.collection} document "${at.id}"`;
  const damaged = (reason: string) =>
    new DatabaseKeyError(`${where}: its encrypted fields ${reason}`, at.collection, at.id);
  if (typeof envelope !== 'string' || !envelope.startsWith(ENVELOPE_PREFIX)) {
    throw damaged('are not an encrypted envelope (damaged data)');
  }
  const bytes = fromBase64(envelope.slice(ENVELOPE_PREFIX.length));
  if (!bytes) throw damaged('are not an encrypted envelope (damaged data)');
  const plain = await decrypt(key, aad, bytes);
  if (plain === null) throw damaged("do not decrypt with this device's database key (another key, or damaged data)");
  const fields = JSON.parse(plain) as unknown;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw damaged('decrypt to something other than fields');
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
      const bytes = fromBase64(stored.slice(FIELD_PREFIX.length));
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
