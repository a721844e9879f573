import Papa from 'papaparse';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { getEntity } from '../../../src-shared/entities/registry';
import { matchColumns } from '../../../src-shared/import/column-mapping';
import type { ImportEntityName } from '../../../src-shared/import/dedupe-keys';
import { errorReportRows, mappingMemoryKey } from '../../../src-shared/import/error-report';
import type { ImportPlan, ImportTable } from '../../../src-shared/import/import-plan';
import { useRepos } from '../../app/crm-context';
import { localJournalStore, newBatchId } from './import-journal';
import { readImportFile } from './read-table';
import {
  executeImport,
  type ImportLookups,
  type ImportProgress,
  type ImportResult,
  loadLookups,
  prepareImport,
} from './run-import';

/** Remembered mapping of a header set, if any (fields per header position). */
function rememberedMapping(entity: string, headers: readonly string[]): (string | undefined)[] | undefined {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(mappingMemoryKey(entity, headers)) ?? 'null');
    if (!stored || typeof stored !== 'object') return undefined;
    const byHeader = stored as Record<string, string>;
    return headers.map((h) => byHeader[h.trim().toLowerCase()] || undefined);
  } catch {
    return undefined;
  }
}

function remember(entity: string, headers: readonly string[], mapping: readonly (string | undefined)[]) {
  const byHeader = Object.fromEntries(headers.map((h, i) => [h.trim().toLowerCase(), mapping[i] ?? '']));
  localStorage.setItem(mappingMemoryKey(entity, headers), JSON.stringify(byHeader));
}

export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadReport(fileName: string, plan: Pick<ImportPlan, 'rows'>) {
  const base = fileName.replace(/\.[^.]+$/, '');
  downloadText(`${base}-import-problems.csv`, Papa.unparse(errorReportRows(plan), { newline: '\r\n' }));
}

export type Phase = 'choose' | 'review' | 'running' | 'done';

/** The state of one import on the screen: file → mapping → plan → run → result. */
export function useImportSession(entity: ImportEntityName) {
  const repos = useRepos();
  const [file, setFile] = useState<{ name: string; table: ImportTable; lookups: ImportLookups }>();
  const [mapping, setMapping] = useState<(string | undefined)[]>([]);
  const [onDuplicate, setOnDuplicate] = useState<'update' | 'skip'>('update');
  const [plan, setPlan] = useState<ImportPlan>();
  const [phase, setPhase] = useState<Phase>('choose');
  const [progress, setProgress] = useState<ImportProgress>();
  const [result, setResult] = useState<ImportResult>();
  const [error, setError] = useState<string>();
  const journal = useMemo(() => localJournalStore(), []);

  const reset = useCallback(() => {
    setFile(undefined);
    setPlan(undefined);
    setResult(undefined);
    setProgress(undefined);
    setError(undefined);
    setPhase('choose');
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new entity starts a new import.
  useEffect(reset, [entity]);

  const choose = useCallback(
    async (picked: File) => {
      setError(undefined);
      try {
        const table = await readImportFile(picked);
        if (table.headers.length === 0) throw new Error('The file has no header row.');
        const auto = matchColumns(table.headers, getEntity(entity)).map((m) => m.field);
        setMapping(rememberedMapping(entity, table.headers) ?? auto);
        setFile({ name: picked.name, table, lookups: await loadLookups(repos, entity) });
        setPhase('review');
      } catch (e) {
        setError(`Could not read ${picked.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    [repos, entity],
  );

  useEffect(() => {
    if (!file || phase !== 'review') return;
    let live = true;
    void prepareImport(repos, entity, file.table, { mapping, onDuplicate }, file.lookups).then((p) => {
      if (live) setPlan(p);
    });
    return () => {
      live = false;
    };
  }, [repos, entity, file, mapping, onDuplicate, phase]);

  const changeMapping = useCallback(
    (column: number, field: string | undefined) => {
      setMapping((current) => {
        // A field comes from one column: choosing it here frees it elsewhere.
        const next = current.map((f, i) => (i === column ? field : f === field ? undefined : f));
        if (file) remember(entity, file.table.headers, next);
        return next;
      });
    },
    [entity, file],
  );

  const run = useCallback(async () => {
    if (!file || !plan) return;
    remember(entity, file.table.headers, mapping);
    setPhase('running');
    setProgress({ done: 0, total: plan.counts.create + plan.counts.update });
    try {
      const done = await executeImport(repos, entity, plan, {
        batchId: newBatchId(),
        fileName: file.name,
        headers: file.table.headers,
        mapping,
        journal,
        onProgress: setProgress,
      });
      setResult(done);
      setPhase('done');
    } catch (e) {
      setError(`The import stopped: ${e instanceof Error ? e.message : String(e)}`);
      setPhase('review');
    }
  }, [repos, entity, file, plan, mapping, journal]);

  return {
    file,
    mapping,
    onDuplicate,
    setOnDuplicate,
    plan,
    phase,
    progress,
    result,
    error,
    journal,
    choose,
    changeMapping,
    run,
    reset,
  };
}
