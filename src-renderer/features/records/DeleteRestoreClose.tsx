import type { EntityDef } from '../../../src-shared/schema/define-entity';
import type { EntityRepository } from '../../db/entity-repository';
import { deleteWithUndo } from './delete-with-undo';

/**
 * The last buttons of a record's header: Delete (with Undo) while it is live, Restore once it is
 * deleted, each only with the permission it needs, then Close when the view can be closed.
 */
export function DeleteRestoreClose({
  repo,
  id,
  isDeleted,
  canUpdate,
  canDelete,
  onClose,
}: {
  repo: EntityRepository<EntityDef>;
  id: string;
  isDeleted: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  onClose?: (() => void) | undefined;
}) {
  return (
    <>
      {canDelete && !isDeleted && (
        <button type="button" className="danger" onClick={() => void deleteWithUndo(repo, id)}>
          Delete
        </button>
      )}
      {canUpdate && isDeleted && (
        <button type="button" onClick={() => void repo.restore(id)}>
          Restore
        </button>
      )}
      {onClose && <CloseButton onClose={onClose} />}
    </>
  );
}

/** A view's ×: its accessible name is Close. */
export function CloseButton({ onClose }: { onClose: () => void }) {
  return (
    <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
      ×
    </button>
  );
}
