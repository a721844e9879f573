import { DEFAULT_NOW } from '../../src-shared/demo/demo-context';
import { type DemoSize, generateDemoData } from '../../src-shared/demo/generate-demo-data';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import type { EntityRepository } from './entity-repository';
import type { Repositories } from './repositories';

export interface SeedProgress {
  entity: string;
  written: number;
}

/**
 * Records per bulkCreate: one IndexedDB write each, audited as AUDIT_BATCH_SIZE-record entries by
 * the storage layer. Larger chunks measured no faster (most entities of the small set are under
 * 1,000 records, so the number of writes barely changes) and would make progress coarser.
 */
const CHUNK = 1000;

/**
 * Writes in flight at once. Where the time goes ('small', 12,442 records, Chromium): generating
 * ~0.3 s, building and validating ~1 s, the IndexedDB writes ~5 s, their audit entries ~0.3 s.
 * With two in flight, the next chunk is generated and validated on the page's thread while the
 * previous one commits in the browser's IndexedDB backend.
 */
const IN_FLIGHT = 2;

/**
 * Loads the deterministic demo data set through the repositories (validated and audited). Ids are
 * deterministic, so a run interrupted part-way resumes: records already there are left as they are.
 */
export async function seedDemoData(
  repos: Repositories,
  size: DemoSize,
  onProgress: (progress: SeedProgress) => void = () => {},
  now: Date = new Date(),
): Promise<number> {
  // The data set ends at DEFAULT_NOW (stable output). A device whose clock is behind that gets one
  // that ends now: the repositories refuse records written in the future, so seeding would fail.
  const end = new Date(Math.min(Date.parse(DEFAULT_NOW), now.getTime()));
  let written = 0;
  const inFlight: Promise<void>[] = [];
  const drain = async () => {
    // Every write settles before the first failure is thrown: none is left running unobserved.
    const results = await Promise.allSettled(inFlight.splice(0));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  let previous: string | undefined;
  for (const batch of generateDemoData({ size, batchSize: CHUNK, now: end })) {
    const repo = (repos as unknown as Record<string, EntityRepository<EntityDef>>)[batch.entity];
    if (!repo) {
      await drain();
      throw new Error(`No repository for demo entity ${batch.entity}`);
    }
    // Custom field definitions must be stored before the records that carry custom values are
    // validated against them (bulkCreate reads them from the database).
    if (previous === 'customField' && batch.entity !== previous) await drain();
    previous = batch.entity;
    const write = repo.bulkCreate(batch.records as never).then((result) => {
      written += result.written;
      onProgress({ entity: batch.entity, written });
    });
    // Awaited below or in drain(); this keeps a failure meanwhile from counting as unhandled.
    write.catch(() => {});
    inFlight.push(write);
    if (inFlight.length >= IN_FLIGHT) {
      // The oldest write; a failure of any surfaces at the latest in the final drain.
      const oldest = inFlight.shift() as Promise<void>;
      try {
        await oldest;
      } catch (error) {
        await drain().catch(() => {});
        throw error;
      }
    }
  }
  await drain();
  return written;
}
