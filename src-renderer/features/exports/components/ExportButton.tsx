import { useEffect, useMemo, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import { enumWords } from '../../../../src-shared/export/export-cells';
import type { ExportFilter } from '../../../../src-shared/export/export-meta';
import { displayName } from '../../../../src-shared/schema/display-name';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import { useCan, useRepos } from '../../../app/crm-context';
import type { Equality } from '../../../db/entity-repository';
import { lazyComponent } from '../../../ui/on-demand';
import { repositoryFor } from '../export-context';
import { ExportOpener } from './ExportOpener';

/**
 * The dialog and the export code behind it (run-export, the file sinks) are fetched on demand: no
 * list's first paint parses them. The pointer or focus reaching the button fetches them ahead of
 * the click, and the app's preload (ui/on-demand.ts) fetches them soon after the first paint.
 */
const { Component: ExportDialog, preload: preloadDialog } = lazyComponent(() =>
  import('./ExportDialog').then((m) => m.ExportDialog),
);

export interface ExportButtonProps {
  /** The entity the list shows. */
  readonly entity: string;
  /** The list's heading, the file's title. */
  readonly title: string;
  /** The columns on screen, in order: declared fields and `customFields.<key>`. */
  readonly columns: readonly string[];
  /**
   * The filters on screen (fixed ones included), as the list queries them; a list that merges
   * several index-served queries passes each (their records are exported merged, in `order`).
   */
  readonly where: Record<string, Equality> | readonly Record<string, Equality>[];
  /** The list's order, if not newest first: the leads' score. */
  readonly order?: 'score';
  /**
   * The exact records on screen, in order, when the view is not one index query (a dated task view,
   * a lead list's members): these are exported, and `where` only names the filters in the file.
   */
  readonly ids?: readonly string[];
  /** Filters `where` cannot say (the view, the lead list), shown after its own. */
  readonly extraFilters?: readonly ExportFilter[];
}

/** The ref filters' target entities (`ownerId` → user), for naming their values. */
function refTarget(spec: FieldSpec | undefined, field: string): string | undefined {
  if (field === 'ownerId') return 'user';
  return spec?.type === 'ref' && spec.ref !== '*' ? spec.ref : undefined;
}

/**
 * How the filters read in the file: the field's label and the value in words; a reference (an
 * owner, a company) by its record's name once read, its id until then.
 */
function useFilterLabels(entity: string, where: ExportButtonProps['where']): ExportFilter[] {
  const repos = useRepos();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  // Keyed by content: lists pass a new `where` object on every render.
  const key = JSON.stringify(where);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for where's content.
  const entries = useMemo(() => {
    const def = getEntity(entity);
    const pairs = new Map<string, Set<string>>();
    for (const w of Array.isArray(where) ? where : [where]) {
      for (const [field, value] of Object.entries(w))
        pairs.set(field, (pairs.get(field) ?? new Set()).add(String(value)));
    }
    return [...pairs].map(([field, values]) => {
      const spec = def.allFields[field] as FieldSpec | undefined;
      return { field, spec, values: [...values], target: refTarget(spec, field) };
    });
  }, [entity, key]);
  useEffect(() => {
    let live = true;
    const refs = entries.filter((e) => e.target !== undefined);
    if (refs.length === 0) return;
    void Promise.all(
      refs.map(async (e) => {
        const target = e.target as string;
        const found = await repositoryFor(repos, target).getMany(e.values);
        return found.map((r) => [`${target}:${r.id}`, displayName(getEntity(target), r)] as const);
      }),
    ).then((lists) => {
      if (live) setNames(new Map(lists.flat()));
    });
    return () => {
      live = false;
    };
  }, [entries, repos]);
  return useMemo(
    () =>
      entries.map(({ field, spec, values, target }) => ({
        label: field === 'ownerId' ? 'Owner' : (spec?.label ?? field),
        value: values
          .map((v) => (spec?.type === 'enum' ? enumWords(v) : target ? (names.get(`${target}:${v}`) ?? v) : v))
          .join(' or '),
      })),
    [entries, names],
  );
}

/**
 * "Export…" for any list: opens the export dialog with the list's columns and filters. Hidden when
 * the role may not read the entity (the export itself checks again).
 */
export function ExportButton({ entity, title, columns, where, order, ids, extraFilters }: ExportButtonProps) {
  const canRead = useCan(entity, 'read');
  const labels = useFilterLabels(entity, where);
  const filters = useMemo(() => [...labels, ...(extraFilters ?? [])], [labels, extraFilters]);
  if (!canRead) return null;
  return (
    <ExportOpener
      title="Export this list (CSV, Excel, PDF, JSON)"
      preload={preloadDialog}
      dialog={(close) => (
        <ExportDialog
          entity={entity}
          title={title}
          columns={columns}
          where={where}
          {...(order ? { order } : {})}
          {...(ids ? { ids } : {})}
          filters={filters}
          onClose={close}
        />
      )}
    />
  );
}
