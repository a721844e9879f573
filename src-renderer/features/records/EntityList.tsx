import { type ReactNode, useMemo, useState } from 'react';
import { type DocumentEntityName, getEntity } from '../../../src-shared/entities/registry';
import type { EntityDef } from '../../../src-shared/schema/define-entity';
import { useCan, useRepos } from '../../app/crm-context';
import type { EntityRepository, Equality } from '../../db/entity-repository';
import { CreateRecordDialog } from '../../ui/CreateRecordDialog';
import { listCountText } from '../../ui/count-text';
import { EnumFilter } from '../../ui/EnumFilter';
import { ListToolbar } from '../../ui/ListToolbar';
import type { PagedListOptions } from '../../ui/live-pages';
import { useCustomFields } from '../../ui/RecordForm';
import { servedByIndex, usePagedList, usePrefetchedPages } from '../../ui/usePagedList';
import { type Column, VirtualTable } from '../../ui/VirtualTable';
import { ExportButton } from '../exports';
import { columnsFor, defaultColumnFields } from './record-columns';

type Row = Record<string, unknown> & { id: string };
type Where = Record<string, Equality>;

interface EntityListProps {
  entity: DocumentEntityName;
  /** Columns (declared fields); default: display fields and a few short ones. */
  columns?: readonly string[];
  /** Beside an open record the list has half the width: these columns, and none for custom fields. */
  compactColumns?: readonly string[];
  compact?: boolean;
  /** Overrides of the first column (e.g. a name cell that also shows the email); keep it stable. */
  nameColumn?: Partial<Omit<Column<Row>, 'key'>>;
  /** Enum fields offered as filters above the list. */
  filters?: readonly string[];
  /** Filters the list's screen draws itself (owner, …), after the enum filters; their values go in `where`. */
  filterControls?: ReactNode;
  /**
   * What `where` would be under the other values of those filters (e.g. each other status): their
   * first pages are read while the page is idle, as the enum filters' are (usePrefetchedPages).
   */
  readAhead?: readonly (Where | readonly Where[])[];
  /**
   * Fixed filters (e.g. the records of one parent), or several disjoint ones whose union is the
   * list (each served by its own index; usePagedList merges them).
   */
  where?: Where | readonly Where[];
  /** Defaults of a record created from here (e.g. the parent's id). */
  defaults?: Record<string, unknown>;
  /** Fields of the create form; default: every editable field. */
  formFields?: readonly string[];
  /** Creates the record from the form's values and returns its id; default: the repository's create. */
  onCreate?: (values: Record<string, unknown>) => Promise<string>;
  onOpen?: (id: string) => void;
  selectedId?: string;
  /** Extra toolbar content (view switches, actions). */
  toolbar?: ReactNode;
  /** Offers "Export…" with the columns and filters on screen (default: yes). */
  exportable?: boolean;
  title?: string;
  /** What an empty list says; default "No <plural> match." */
  emptyText?: string;
  /** Clears the filters the screen draws itself (filterControls); given only while one is set. */
  onClearFilters?: () => void;
}

const NO_WHERE: Where = {};

/**
 * What an empty list says, and its next step: "Clear filters" while a filter hides every record
 * (a list that says only "No contacts match" leaves the user to find which of three selects to reset).
 */
export function EmptyList({ text, onClear }: { text: string; onClear?: (() => void) | undefined }) {
  return (
    <p>
      {text}
      {onClear && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onClear}>
            Clear filters
          </button>
        </>
      )}
    </p>
  );
}

/** "stage" → "stages", "status" → "statuses", "priority" → "priorities": a filter's "All …" option. */
export function plural(noun: string): string {
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}
const isWhereList = (where: Where | readonly Where[]): where is readonly Where[] => Array.isArray(where);

/** The list's fixed filters with the values chosen in its filter selects ('' is any value). */
function chosenWhere(where: Where | readonly Where[], values: Record<string, string>): Where | readonly Where[] {
  const chosen: Where = {};
  for (const [k, v] of Object.entries(values)) if (v !== '') chosen[k] = v;
  return isWhereList(where) ? where.map((w) => ({ ...w, ...chosen })) : { ...where, ...chosen };
}

/** Each other value of each filter select, the others as chosen, then each `readAhead` where with the selects as chosen. */
export function otherFilterChoices(
  entity: EntityDef,
  filters: readonly string[],
  where: Where | readonly Where[],
  filterValues: Record<string, string>,
  readAhead: readonly (Where | readonly Where[])[] | undefined,
): PagedListOptions[] {
  return [
    ...filters.flatMap((field) =>
      (entity.allFields[field]?.values ?? [])
        .filter((value) => value !== filterValues[field])
        .map((value) => ({ where: chosenWhere(where, { ...filterValues, [field]: value }) })),
    ),
    ...(readAhead ?? []).map((other) => ({ where: chosenWhere(other, filterValues) })),
  ];
}

/**
 * A live, virtualised, index-paged list of one entity with enum filters, a count, and a New button
 * that opens the registry form. The building block of every list screen.
 */
export function EntityList({
  entity: name,
  columns,
  compactColumns,
  compact = false,
  nameColumn,
  filters = [],
  filterControls,
  readAhead,
  where = NO_WHERE,
  defaults,
  formFields,
  onCreate,
  onOpen,
  selectedId,
  toolbar,
  exportable = true,
  title,
  emptyText,
  onClearFilters,
}: EntityListProps) {
  const entity = getEntity(name);
  const repo = useRepos()[name] as unknown as EntityRepository<EntityDef>;
  const canCreate = useCan(name, 'create');
  const customDefs = useCustomFields(entity);
  const [filterValues, setFilterValues] = useState<Record<string, string>>({});
  const [creating, setCreating] = useState(false);
  const activeWhere = useMemo(() => chosenWhere(where, filterValues), [where, filterValues]);
  // Read down to the open record (opened by link, from search, from another record) so its row shows.
  const { rows, total, totalCapped, loadMore, busy } = usePagedList(
    repo,
    { where: activeWhere },
    undefined,
    selectedId,
  );
  // Read ahead while idle, if an index answers the first page (a deal's forecast category has
  // none: a walk, not a read).
  const otherChoices = useMemo(
    () => servedByIndex(repo, otherFilterChoices(entity, filters, where, filterValues, readAhead)),
    [repo, entity, filters, where, filterValues, readAhead],
  );
  usePrefetchedPages(repo, otherChoices, !busy && rows !== undefined);
  const tableColumns = useMemo(() => {
    const narrow = compact && compactColumns !== undefined;
    const cols = columnsFor(
      entity,
      (narrow ? compactColumns : columns) ?? defaultColumnFields(entity),
      narrow ? [] : customDefs.filter((d) => d.fieldType !== 'text'),
    );
    const first = cols[0];
    if (first && nameColumn) cols[0] = { ...first, ...nameColumn };
    return cols;
  }, [entity, columns, compactColumns, compact, nameColumn, customDefs]);
  const filtered = Object.values(filterValues).some((v) => v !== '');
  const clearFilters =
    filtered || onClearFilters
      ? () => {
          setFilterValues({});
          onClearFilters?.();
        }
      : undefined;
  const heading = title ?? entity.plural;
  const one = entity.label.toLowerCase();
  const many = entity.plural.toLowerCase();
  return (
    <section className="entity-list" aria-label={heading} aria-busy={busy}>
      <ListToolbar
        title={heading}
        count={listCountText(total, totalCapped, one, many)}
        filters={
          <>
            {filters.map((field) => {
              // Named as generic lists have always named them ("Filter by Stage"): tests find them by it.
              const label = entity.allFields[field]?.label ?? field;
              return (
                <EnumFilter
                  key={field}
                  entity={entity}
                  field={field}
                  anyLabel={`All ${plural(label.toLowerCase())}`}
                  ariaLabel={`Filter by ${label}`}
                  value={filterValues[field] ?? ''}
                  onChange={(value) => setFilterValues((s) => ({ ...s, [field]: value }))}
                />
              );
            })}
            {filterControls}
          </>
        }
        actions={
          <>
            {toolbar}
            {exportable && (
              <ExportButton
                entity={name}
                title={heading}
                columns={tableColumns.map((c) => c.key)}
                where={activeWhere}
              />
            )}
          </>
        }
        newLabel={canCreate ? `New ${one}` : undefined}
        onNew={() => setCreating(true)}
      />
      <VirtualTable
        label={heading}
        rows={rows as Row[] | undefined}
        columns={tableColumns}
        onEndReached={loadMore}
        onOpen={onOpen ? (row) => onOpen(row.id) : undefined}
        selectedId={selectedId}
        busy={busy}
        empty={<EmptyList text={emptyText ?? `No ${many} match.`} onClear={clearFilters} />}
      />
      <CreateRecordDialog
        entity={entity}
        repo={repo}
        fields={formFields}
        initial={defaults}
        create={onCreate}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => onOpen?.(id)}
      />
    </section>
  );
}
