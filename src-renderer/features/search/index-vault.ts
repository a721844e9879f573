import { COLLECTION_VERSIONS } from '../../../src-shared/entities/collections';
import { getEntity } from '../../../src-shared/entities/registry';
import { aesKey } from '../../db/sealed-envelope';
import type { QuickDoc } from './quick-index';
import { NOTE_BODY_PREFIX, SEARCH_KINDS } from './search-documents';

/**
 * The built search index kept between sessions, so that a session loads it and catches up on the
 * changes since it was saved instead of reading (and decrypting) every record again (~30 s at 100k).
 * It holds names, emails and note text, so it is sealed like the database's personal fields: AES-GCM
 * with the database's key (sealed-envelope.ts), gzip-compressed first. The plain header (format,
 * checkpoint) is the ciphertext's additional data, so an altered header does not open either.
 */

/** Bump when what a search document holds or how it is tokenized changes: saved indexes are then rebuilt. */
export const INDEX_FORMAT = 1;

/** What else makes a saved index stale: the kinds searched and their collections' schema versions. */
export function indexSchema(): string {
  const collections = SEARCH_KINDS.map((kind) => {
    const collection = getEntity(kind).collection;
    return `${kind}@${collection}.${collection ? COLLECTION_VERSIONS[collection].version : 0}`;
  });
  return `${collections.join(',')}|note-body:${NOTE_BODY_PREFIX}`;
}

/** Which database's index, and the database's key (database-key.ts) to seal it with. */
export interface VaultRef {
  database: string;
  /** The AES key derived from the database's key (vaultKey): it crosses to the worker as it is. */
  key: CryptoKey;
}

export interface VaultHeader {
  format: number;
  schema: string;
  /**
   * Every write with a later `_meta.lwt` may be missing from the index: the session that loads it
   * reads the changes since (changes-since-storage.ts). A time, on the clock RxDB stamps writes with.
   */
  checkpoint: number;
  /** Documents in the index (for progress while it loads). */
  count: number;
  savedAt: number;
}

/** The index (MiniSearch's JSON) and what the page needs besides: company names by id. */
export interface VaultContent {
  index: string;
  companies: [string, string][];
}

/** The names-only index (quick-index.ts), sealed apart so that it opens without the whole index. */
export interface QuickContent {
  companies: [string, string][];
  docs: QuickDoc[];
}

export type FullOutcome = { status: 'loaded'; content: VaultContent } | { status: 'corrupt'; reason: string };

export type LoadOutcome =
  | {
      status: 'loaded';
      header: VaultHeader;
      /** Undefined in a copy saved before names were kept apart: then only the full index answers. */
      quick: QuickContent | undefined;
      /** Unseals and unpacks the full index (seconds at 100k): asked for after the quick one is serving. */
      full: () => Promise<FullOutcome>;
    }
  | { status: 'missing' }
  | { status: 'stale' | 'corrupt'; reason: string };

/** The database's key as the AES key that seals the index (the same derivation as its fields). */
export const vaultKey = (secret: string): Promise<CryptoKey> => aesKey(secret);

/**
 * Named under the database's own prefix: session-wipe.ts deletes every `rxdb-dexie-<name>--*`
 * database, so signing out or a revoked device removes the index with the records. It is not one of
 * RxDB's (no `--<version>--`), so database-key.ts does not count it as a database.
 */
export const vaultDatabaseName = (database: string) => `rxdb-dexie-${database}--search-index`;
const STORE = 'index';
const RECORD = 'current';
const IV_BYTES = 12;

interface StoredRecord {
  header: VaultHeader;
  sealed: ArrayBuffer;
  /** The names-only index, sealed with the same key and header (another additional data). */
  quick?: ArrayBuffer;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function openVault(factory: IDBFactory, database: string): Promise<IDBDatabase> {
  const open = factory.open(vaultDatabaseName(database), 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await request(open);
  // A wipe deletes this database: give way at once rather than block it.
  db.onversionchange = () => db.close();
  return db;
}

async function withStore<T>(
  factory: IDBFactory,
  database: string,
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openVault(factory, database);
  try {
    const tx = db.transaction(STORE, mode);
    const result = await request(use(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('the search index transaction was aborted'));
    });
    return result;
  } finally {
    db.close();
  }
}

const encoder = new TextEncoder();
type Part = 'full' | 'quick';
/** Each part has its own additional data: one cannot be passed off as the other. */
const aadOf = (database: string, header: VaultHeader, part: Part = 'full') =>
  encoder.encode(`fieldcrm.search-index${part === 'quick' ? '.quick' : ''}.v1|${database}|${JSON.stringify(header)}`);

async function gzip(text: string): Promise<ArrayBuffer> {
  return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}

async function seal(ref: VaultRef, header: VaultHeader, part: Part, text: string): Promise<ArrayBuffer> {
  const plain = await gzip(text);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const cipher = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aadOf(ref.database, header, part) },
    ref.key,
    plain,
  );
  const sealed = new Uint8Array(IV_BYTES + cipher.byteLength);
  sealed.set(iv);
  sealed.set(new Uint8Array(cipher), IV_BYTES);
  return sealed.buffer;
}

/** Seals and stores the index and its names-only part, replacing the ones saved before (one record: they match). */
export async function saveToVault(
  factory: IDBFactory,
  ref: VaultRef,
  header: VaultHeader,
  content: VaultContent & { quick: QuickDoc[] },
): Promise<void> {
  // JSON text has no raw line break: the company names' line, then the index's.
  const sealed = await seal(ref, header, 'full', `${JSON.stringify(content.companies)}\n${content.index}`);
  const quick = await seal(ref, header, 'quick', JSON.stringify({ companies: content.companies, docs: content.quick }));
  const record: StoredRecord = { header, sealed, quick };
  await withStore(factory, ref.database, 'readwrite', (store) => store.put(record, RECORD));
}

/** The plain text of a sealed part; undefined when it does not open with this key and header. */
async function unseal(
  ref: VaultRef,
  header: VaultHeader,
  part: Part,
  sealed: ArrayBuffer,
): Promise<string | undefined> {
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: new Uint8Array(sealed, 0, IV_BYTES),
        additionalData: aadOf(ref.database, header, part),
      },
      ref.key,
      new Uint8Array(sealed, IV_BYTES),
    );
  } catch {
    return undefined;
  }
  return gunzip(new Uint8Array(plain));
}

const NOT_DECRYPTED = "it does not decrypt with this database's key (another key, or damaged)";
const isSealed = (bytes: unknown): bytes is ArrayBuffer =>
  bytes instanceof ArrayBuffer && bytes.byteLength > IV_BYTES + 16;

async function unsealFull(ref: VaultRef, header: VaultHeader, sealed: ArrayBuffer): Promise<FullOutcome> {
  try {
    const text = await unseal(ref, header, 'full', sealed);
    if (text === undefined) return { status: 'corrupt', reason: NOT_DECRYPTED };
    const split = text.indexOf('\n');
    const companies = JSON.parse(text.slice(0, split)) as unknown;
    if (split < 0 || !Array.isArray(companies)) return { status: 'corrupt', reason: 'no company names' };
    return { status: 'loaded', content: { index: text.slice(split + 1), companies: companies as [string, string][] } };
  } catch (error) {
    return { status: 'corrupt', reason: `it does not unpack: ${String(error)}` };
  }
}

async function unsealQuick(ref: VaultRef, header: VaultHeader, sealed: ArrayBuffer): Promise<QuickContent | string> {
  try {
    const text = await unseal(ref, header, 'quick', sealed);
    if (text === undefined) return NOT_DECRYPTED;
    const quick = JSON.parse(text) as Partial<QuickContent>;
    if (!Array.isArray(quick.companies) || !Array.isArray(quick.docs)) return 'no names index';
    return quick as QuickContent;
  } catch (error) {
    return `its names index does not unpack: ${String(error)}`;
  }
}

/** Removes the saved index (a corrupt one, before it is rebuilt). */
export async function clearVault(factory: IDBFactory, database: string): Promise<void> {
  await withStore(factory, database, 'readwrite', (store) => store.delete(RECORD));
}

function headerProblem(header: unknown, now: number): string | undefined {
  if (typeof header !== 'object' || header === null) return 'no header';
  const h = header as Partial<VaultHeader>;
  if (h.format !== INDEX_FORMAT) return `format ${String(h.format)}, this app writes ${INDEX_FORMAT}`;
  if (h.schema !== indexSchema()) return `schema "${String(h.schema)}", this app has "${indexSchema()}"`;
  if (typeof h.checkpoint !== 'number' || !Number.isFinite(h.checkpoint)) return 'no checkpoint';
  // A checkpoint ahead of the clock (the clock was set back) would skip writes made since.
  if (h.checkpoint > now) return 'a checkpoint in the future';
  return undefined;
}

/**
 * The saved index, or why there is none to use. Never throws for bad data: it reports it. The
 * names-only part is opened at once; the full index when `full` is called.
 */
export async function loadFromVault(factory: IDBFactory, ref: VaultRef, now = Date.now()): Promise<LoadOutcome> {
  const stored = (await withStore(factory, ref.database, 'readonly', (store) => store.get(RECORD))) as
    | Partial<StoredRecord>
    | undefined;
  if (stored === undefined) return { status: 'missing' };
  const stale = headerProblem(stored.header, now);
  if (stale) return { status: 'stale', reason: stale };
  const header = stored.header as VaultHeader;
  const sealed = stored.sealed;
  if (!isSealed(sealed)) return { status: 'corrupt', reason: 'no sealed index' };
  let quick: QuickContent | undefined;
  if (stored.quick !== undefined) {
    if (!isSealed(stored.quick)) return { status: 'corrupt', reason: 'no sealed names index' };
    const opened = await unsealQuick(ref, header, stored.quick);
    if (typeof opened === 'string') return { status: 'corrupt', reason: opened };
    quick = opened;
  }
  return { status: 'loaded', header, quick, full: () => unsealFull(ref, header, sealed) };
}
