import { getEntity } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { displayName } from '../../../src-shared/schema/display-name';
import type { EntityRepository } from '../../db/entity-repository';
import { errorMessage, toast } from '../../ui/toasts';

/** Soft-deletes a record and offers Undo (a restore), since a delete is one click away in every list. */
export async function deleteWithUndo(repo: EntityRepository<EntityDef>, id: string): Promise<boolean> {
  try {
    const record = await repo.softDelete(id);
    const entity = getEntity(repo.entity.name);
    toast({
      tone: 'info',
      message: `${entity.label} “${displayName(entity, record)}” deleted.`,
      action: {
        label: 'Undo',
        run: async () => {
          try {
            await repo.restore(id);
            toast({ tone: 'success', message: `${entity.label} restored.` });
          } catch (error) {
            toast({ tone: 'error', message: `Could not restore: ${errorMessage(error)}` });
          }
        },
      },
    });
    return true;
  } catch (error) {
    toast({ tone: 'error', message: `Could not delete: ${errorMessage(error)}` });
    return false;
  }
}
