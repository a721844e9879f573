import type { ImportEntityName } from '../../../src-shared/import/dedupe-keys';

/**
 * What undo needs to know about an import, kept on this device: the batch (its tag marks every
 * record it created, so those are found again in the records themselves) and the previous values
 * of the fields it changed on records that already existed.
 */

export interface UpdatedRecord {
  readonly id: string;
  /** Field → value before the import (null: the field was empty). */
  readonly before: Record<string, unknown>;
}

export interface ImportJournal {
  readonly batchId: string;
  readonly entity: ImportEntityName;
  readonly fileName: string;
  readonly at: string;
  readonly created: number;
  readonly updates: readonly UpdatedRecord[];
  readonly undoneAt?: string;
}

export interface JournalStore {
  save(journal: ImportJournal): void;
  list(): ImportJournal[];
}

/** The tag every record an import created carries: `import:<batch id>`. */
export const batchTag = (batchId: string) => `import:${batchId}`;

export function newBatchId(now: Date = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Newest first, the last 20 imports. */
export function memoryJournalStore(initial: ImportJournal[] = []): JournalStore {
  let journals = [...initial];
  return {
    save(journal) {
      journals = [journal, ...journals.filter((j) => j.batchId !== journal.batchId)].slice(0, 20);
    },
    list: () => [...journals],
  };
}

const KEY = 'crm.import.journal';

/** The journal in localStorage (UI state of this device, not record data: the records are in RxDB). */
export function localJournalStore(storage: Storage = localStorage): JournalStore {
  const read = (): ImportJournal[] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
      return Array.isArray(parsed) ? (parsed as ImportJournal[]) : [];
    } catch {
      return [];
    }
  };
  return {
    save(journal) {
      const memory = memoryJournalStore(read());
      memory.save(journal);
      try {
        storage.setItem(KEY, JSON.stringify(memory.list()));
      } catch {
        // Over the storage quota (a very large update): keep this import's entry alone, older ones go.
        storage.setItem(KEY, JSON.stringify([journal]));
      }
    },
    list: read,
  };
}
