import { type DemoSize, generateDemoData } from '../../src-shared/demo/generate-demo-data';
import type { EntityDef } from '../../src-shared/schema/define-entity';
import type { EntityRepository } from './entity-repository';
import type { Repositories } from './repositories';

export interface SeedProgress {
  entity: string;
  written: number;
}

/**
 * Loads the deterministic demo data set through the repositories (validated and audited). Ids are
 * deterministic, so a run interrupted part-way resumes: records already there are left as they are.
 */
export async function seedDemoData(
  repos: Repositories,
  size: DemoSize,
  onProgress: (progress: SeedProgress) => void = () => {},
): Promise<number> {
  let written = 0;
  for (const batch of generateDemoData({ size })) {
    const repo = (repos as unknown as Record<string, EntityRepository<EntityDef>>)[batch.entity];
    if (!repo) throw new Error(`No repository for demo entity ${batch.entity}`);
    const result = await repo.bulkCreate(batch.records as never);
    written += result.written;
    onProgress({ entity: batch.entity, written });
  }
  return written;
}
