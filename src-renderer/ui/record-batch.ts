import type { EntityDef, EntityRecord } from '../../src-shared/schema/define-entity';
import type { EntityRepository } from '../db/entity-repository';

type Repo = EntityRepository<EntityDef>;
type Found = EntityRecord<EntityDef> | undefined;

interface Batch {
  waiters: Map<string, ((record: Found) => void)[]>;
  failures: ((error: unknown) => void)[];
}

const pending = new WeakMap<Repo, Batch>();

/**
 * One record by id, read together with every other id asked of the same repository in the same
 * tick: a list page renders its rows' company and owner names in one commit, whose effects each
 * asked `repo.get(id)`, one IndexedDB read per visible cell (two a row on the Contacts list, queued
 * behind the list's own reads). Batched, a page asks one `getMany` of its distinct ids per entity.
 * Nothing is cached past the batch, so a name is read fresh each time a cell mounts, as before.
 */
export function getBatched(repo: Repo, id: string): Promise<Found> {
  let batch = pending.get(repo);
  if (!batch) {
    const created: Batch = { waiters: new Map(), failures: [] };
    batch = created;
    pending.set(repo, created);
    queueMicrotask(() => {
      pending.delete(repo);
      void flush(repo, created);
    });
  }
  const current = batch;
  return new Promise<Found>((resolve, reject) => {
    const list = current.waiters.get(id) ?? [];
    list.push(resolve);
    current.waiters.set(id, list);
    current.failures.push(reject);
  });
}

async function flush(repo: Repo, batch: Batch): Promise<void> {
  try {
    const records = await repo.getMany([...batch.waiters.keys()]);
    const byId = new Map(records.map((r) => [String((r as { id: unknown }).id), r]));
    for (const [id, resolvers] of batch.waiters) for (const resolve of resolvers) resolve(byId.get(id));
  } catch (error) {
    for (const reject of batch.failures) reject(error);
  }
}
