import { type ReactNode, useMemo, useState } from 'react';
import { type DocumentEntityName, getEntity } from '../../../../src-shared/entities/registry';
import type { EntityDef } from '../../../../src-shared/schema/define-entity';
import { useCan, useRepos } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import type { EntityRepository } from '../../../db/entity-repository';
import { Dialog } from '../../../ui/Dialog';
import { newDraftPlace } from '../../../ui/form-drafts.store';
import { type FieldSuggestion, RecordForm } from '../../../ui/RecordForm';
import { toast } from '../../../ui/toasts';
import { usePagedList } from '../../../ui/usePagedList';
import { VirtualTable } from '../../../ui/VirtualTable';
import { columnsFor } from '../../records';

type Values = Record<string, unknown>;

interface SettingsTableProps {
  entity: DocumentEntityName;
  /** The settings tab this list lives on (kept in the route with the open record). */
  tab: string;
  columns: readonly string[];
  /** One line on what the area is for, under the heading. */
  intro?: string;
  /** The create form's fields and defaults, and the write (a settings service). */
  create?: {
    label?: string;
    fields: readonly string[];
    defaults?: Values;
    /** Fields the form fills from another as it is typed (RecordForm). */
    suggest?: readonly FieldSuggestion[];
    save: (values: Values) => Promise<{ id: string }>;
  };
  /** The open record's pane. */
  detail: (id: string, close: () => void) => ReactNode;
  /** Extra toolbar content. */
  toolbar?: ReactNode;
  /** A line between the intro and the list (e.g. today's rates). */
  banner?: ReactNode;
  /** Column widths (CSS grid tracks) by field, where the defaults crowd a column. */
  widths?: Readonly<Record<string, string>>;
}

/**
 * One settings area: a live, index-paged list of its records, a New button for those whose role
 * may create them (the form's write goes through the area's service), and the open record beside it.
 */
export function SettingsTable({
  entity: name,
  tab,
  columns,
  intro,
  create,
  detail,
  toolbar,
  banner,
  widths,
}: SettingsTableProps) {
  const entity = getEntity(name);
  const repo = useRepos()[name] as unknown as EntityRepository<EntityDef>;
  const canCreate = useCan(name, 'create');
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const [creating, setCreating] = useState(false);
  const { rows, total, loadMore } = usePagedList(repo, {});
  const tableColumns = useMemo(
    () => columnsFor(entity, columns).map((c) => (widths?.[c.key] ? { ...c, width: widths[c.key] } : c)),
    [entity, columns, widths],
  );
  const id = route.screen === 'settings' && route.tab === tab ? route.id : undefined;
  const open = (openId: string) => go({ screen: 'settings', tab, id: openId });
  const close = () => go({ screen: 'settings', tab });
  const newLabel = create?.label ?? `New ${entity.label.toLowerCase()}`;
  return (
    <div className={id ? 'list-detail open' : 'list-detail'}>
      <section className="entity-list" aria-label={entity.plural}>
        <div className="toolbar">
          <h2>{entity.plural}</h2>
          <span className="muted count" aria-live="polite">
            {total === undefined ? '' : total.toLocaleString()}
          </span>
          <span className="spacer" />
          {toolbar}
          {create && canCreate && (
            <button type="button" className="primary" onClick={() => setCreating(true)}>
              {newLabel}
            </button>
          )}
        </div>
        {intro && <p className="muted settings-intro">{intro}</p>}
        {banner}
        <VirtualTable
          label={entity.plural}
          rows={rows as (Values & { id: string })[] | undefined}
          columns={tableColumns}
          onEndReached={loadMore}
          onOpen={(row) => open(row.id)}
          selectedId={id}
          empty={<p>No {entity.plural.toLowerCase()} yet.</p>}
        />
      </section>
      {id && (
        <aside className="detail-pane" aria-label={entity.label}>
          {detail(id, close)}
        </aside>
      )}
      {create && (
        <Dialog title={newLabel} open={creating} onClose={() => setCreating(false)}>
          <RecordForm
            entity={entity}
            fields={create.fields}
            initial={create.defaults}
            suggest={create.suggest ?? []}
            submitLabel={`Create ${entity.label.toLowerCase()}`}
            draftPlace={newDraftPlace(entity.name, 'settings')}
            onCancel={() => setCreating(false)}
            onSubmit={async (values) => {
              const record = await create.save({ ...create.defaults, ...values });
              setCreating(false);
              toast({ tone: 'success', message: `${entity.label} created.` });
              open(String(record.id));
            }}
          />
        </Dialog>
      )}
    </div>
  );
}
