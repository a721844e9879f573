import { useEffect, useMemo, useRef, useState } from 'react';
import { getEntity } from '../../../../src-shared/entities/registry';
import {
  CUSTOM_PREFIX,
  type ExportFormat,
  exportColumnsFor,
  exportFileName,
} from '../../../../src-shared/export/export-columns';
import type { ExportFilter } from '../../../../src-shared/export/export-meta';
import { useCrm } from '../../../app/crm-context';
import type { Equality } from '../../../db/entity-repository';
import { Dialog } from '../../../ui/Dialog';
import { useCustomFields } from '../../../ui/RecordForm';
import { toast } from '../../../ui/toasts';
import { lastSyncAt, repositoryFor } from '../export-context';
import { openSink } from '../export-sinks';
import { type ExportProgress, runExport } from '../run-export';
import { FORMAT_TEXT, FormatChoice } from './FormatChoice';
import '../exports.css';

interface ExportDialogProps {
  readonly entity: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly where: Record<string, Equality> | readonly Record<string, Equality>[];
  readonly order?: 'score';
  readonly ids?: readonly string[];
  readonly filters: readonly ExportFilter[];
  readonly onClose: () => void;
}

type Phase = { kind: 'choose' } | { kind: 'running'; progress: ExportProgress } | { kind: 'failed'; message: string };

export function ExportDialog({ entity: name, title, columns, where, order, ids, filters, onClose }: ExportDialogProps) {
  const crm = useCrm();
  const entity = getEntity(name);
  const customDefs = useCustomFields(entity);
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const abort = useRef<AbortController | null>(null);
  const desktop = typeof window !== 'undefined' && window.crm !== undefined;
  // Custom field definitions load after the first render; until then only declared columns are offered.
  const sources = useMemo(() => {
    const known = new Set(customDefs.map((d) => `${CUSTOM_PREFIX}${d.key}`));
    const shown = columns.filter((c) => !c.startsWith(CUSTOM_PREFIX) || known.has(c));
    return exportColumnsFor(entity, shown, customDefs);
  }, [entity, columns, customDefs]);
  useEffect(() => () => abort.current?.abort(), []);

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setPhase({ kind: 'running', progress: { done: 0, total: 0 } });
    const now = new Date();
    const fileName = exportFileName(title, format, now);
    try {
      const outcome = await runExport(
        {
          entity: name,
          format,
          title,
          sources,
          where,
          ...(order ? { order } : {}),
          ...(ids ? { ids } : {}),
          filters,
          asOf: lastSyncAt(crm.user.id),
        },
        {
          repo: repositoryFor(crm.repos, name),
          getMany: (target, wanted) => repositoryFor(crm.repos, target).getMany(wanted),
          permissions: crm.user.permissions,
          now: () => new Date(),
          openSink: (meta) => openSink(meta, fileName),
          audit: (entry) => repositoryFor(crm.repos, 'auditLog').create(entry),
          actor: () => crm.db.actor(),
          onProgress: (progress) => setPhase({ kind: 'running', progress }),
          signal: controller.signal,
        },
      );
      if (outcome.status === 'cancelled') {
        setPhase({ kind: 'choose' });
        if (controller.signal.aborted) toast({ tone: 'info', message: 'Export cancelled; no file was written.' });
        return;
      }
      toast({
        tone: 'success',
        message: `Exported ${outcome.rows.toLocaleString()} ${entity.plural.toLowerCase()} to ${outcome.target}.`,
      });
      onClose();
    } catch (error) {
      setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      abort.current = null;
    }
  };
  const cancel = () => abort.current?.abort();
  const close = () => {
    cancel();
    onClose();
  };
  const running = phase.kind === 'running';

  return (
    <Dialog title={`Export ${title.toLowerCase()}`} open onClose={close}>
      <div className="export-dialog">
        <FormatChoice format={format} onChange={setFormat} disabled={running} />
        <dl className="export-summary">
          <dt>Columns</dt>
          <dd>{sources.map((s) => s.column.header).join(', ')}</dd>
          <dt>Filters</dt>
          <dd>
            {filters.length === 0
              ? 'None: every record of the list'
              : filters.map((f) => `${f.label}: ${f.value}`).join('; ')}
          </dd>
          <dt>Saved to</dt>
          <dd>{desktop ? 'A file you choose' : 'Your downloads (made in this window)'}</dd>
        </dl>
        {running && <ExportProgressBar progress={phase.progress} plural={entity.plural.toLowerCase()} />}
        {phase.kind === 'failed' && (
          <p className="export-error" role="alert">
            Export failed: {phase.message}
          </p>
        )}
        <div className="export-actions">
          {running ? (
            <button type="button" className="danger" onClick={cancel}>
              Cancel export
            </button>
          ) : (
            <>
              <button type="button" onClick={close}>
                Close
              </button>
              <button type="button" className="primary" onClick={() => void start()} disabled={sources.length === 0}>
                Export {FORMAT_TEXT[format].name}
              </button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}

function ExportProgressBar({ progress, plural }: { progress: ExportProgress; plural: string }) {
  const { done, total } = progress;
  return (
    <div className="export-progress" aria-live="polite">
      <progress max={Math.max(total, 1)} value={done} aria-label="Export progress" />
      <span className="muted">
        {total === 0 && done === 0
          ? 'Preparing…'
          : `${done.toLocaleString()} of ${total.toLocaleString()} ${plural}${done >= total ? ' · writing the file…' : ''}`}
      </span>
    </div>
  );
}
