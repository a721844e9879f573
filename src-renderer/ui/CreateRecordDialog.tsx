import type { EntityDef } from '../../src-shared/schema/define-entity';
import type { EntityRepository } from '../db/entity-repository';
import { Dialog } from './Dialog';
import { RecordForm } from './RecordForm';
import { toast } from './toasts';

/** A list's "New …" dialog: the entity's form, validated by the registry; the new record opens. */
export function CreateRecordDialog({
  entity,
  repo,
  open,
  onClose,
  onCreated,
}: {
  entity: EntityDef;
  repo: EntityRepository<EntityDef>;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const label = entity.label;
  return (
    <Dialog title={`New ${label.toLowerCase()}`} open={open} onClose={onClose}>
      <RecordForm
        entity={entity}
        submitLabel={`Create ${label.toLowerCase()}`}
        onCancel={onClose}
        onSubmit={async (values) => {
          const record = await repo.create(values as never);
          onClose();
          toast({ tone: 'success', message: `${label} created.` });
          onCreated(String(record.id));
        }}
      />
    </Dialog>
  );
}
