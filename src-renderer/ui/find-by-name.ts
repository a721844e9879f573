import type { EntityDef } from '../../src-shared/schema/define-entity';
import { displayName } from '../../src-shared/schema/display-name';
import type { EntityRepository } from '../db/entity-repository';

/** A record offered in a picker: its id and display name. */
export type NamedRecord = readonly [id: string, name: string];

export interface FindOptions {
  /** Matches wanted at most. */
  limit?: number;
  /** Records read per request. */
  pageSize?: number;
  /** Records read at most before giving up (a 100k-contact device: typing more narrows it). */
  maxRead?: number;
  /** False once the answer is no longer wanted (the person typed on): stops reading. */
  isLive?: () => boolean;
}

/**
 * Records of `entity` whose display name contains `needle` (any case), sorted by name: read newest
 * first, a page at a time (keyset paging on the entity's own index), until `limit` match or
 * `maxRead` are read. The pickers offered only the newest 400 or 500 records, so a note, task,
 * deal or communication could not be about an older contact or lead however its name was typed.
 */
export async function findByName(
  repo: EntityRepository<EntityDef>,
  entity: EntityDef,
  needle: string,
  { limit = 200, pageSize = 500, maxRead = 20_000, isLive = () => true }: FindOptions = {},
): Promise<{ matches: NamedRecord[]; complete: boolean }> {
  const wanted = needle.trim().toLowerCase();
  const matches: NamedRecord[] = [];
  let after: { newest: number; id: string } | undefined;
  let read = 0;
  let complete = false;
  while (read < maxRead && matches.length < limit && isLive()) {
    const asked = Math.min(pageSize, maxRead - read);
    const page = await repo.list({ limit: asked, ...(after ? { after } : {}) });
    read += page.length;
    for (const record of page) {
      const name = displayName(entity, record);
      if (name.toLowerCase().includes(wanted)) matches.push([String(record.id), name]);
    }
    const last = page.at(-1);
    if (!last || page.length < asked) {
      complete = true;
      break;
    }
    after = { newest: Number(last.newest), id: String(last.id) };
  }
  return { matches: matches.slice(0, limit).sort((a, b) => a[1].localeCompare(b[1])), complete };
}
