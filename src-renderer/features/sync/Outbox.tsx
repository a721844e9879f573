import { useState } from 'react';
import { getEntity, isEntityName } from '../../../src-shared/entities/registry';
import { useCrm } from '../../app/crm-context';
import { appOfflineGate } from '../../sync/offline-gate';
import type { PendingChange, PendingDoc } from '../../sync/outbox';
import { discardPending, retryPending } from '../../sync/outbox-actions';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toasts';
import { RecordName } from '../../ui/useRecordName';
import { relativeTime } from './sync-status';
import type { SyncStatus } from './useSyncStatus';

const CHANGE_LABEL: Record<PendingChange, string> = {
  created: 'New',
  updated: 'Edited',
  deleted: 'Deleted',
  removed: 'Removed',
};

function fieldLabels(item: PendingDoc): string {
  if (item.change === 'created') return '';
  if (item.fields.length === 0) return 'reverted to the server’s values';
  const fields = isEntityName(item.kind) ? getEntity(item.kind).fields : {};
  return item.fields.map((f) => (fields as Record<string, { label?: string }>)[f]?.label ?? f).join(', ');
}

function entityLabel(kind: string): string {
  return isEntityName(kind) ? getEntity(kind).label : kind;
}

/** Local changes the server has not received: per item, send now or undo (audited, confirmed). */
export function Outbox({ status, now }: { status: SyncStatus; now: number }) {
  const { db } = useCrm();
  const [confirm, setConfirm] = useState<PendingDoc | undefined>();
  const [busy, setBusy] = useState(false);
  const items = [...status.outbox.entries()]
    .filter(([name]) => name !== 'audit')
    .flatMap(([, docs]) => docs ?? [])
    .sort((a, b) => b.writtenAt - a.writtenAt);
  const retry = (item: PendingDoc) =>
    retryPending(status.replication, appOfflineGate(), item.collection, item.id).then(
      () => toast({ tone: 'info', message: 'Sending now…' }),
      fail,
    );
  const discard = async (item: PendingDoc) => {
    setBusy(true);
    try {
      await discardPending(db, status.replication, item.collection, item.id);
      toast({
        tone: 'success',
        message: item.server ? 'Change discarded: the server’s version is back' : 'Unsynced record removed',
      });
      setConfirm(undefined);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };
  if (!status.replication) {
    return <p className="empty">Sign in to sync: the outbox lists changes waiting for the server.</p>;
  }
  if (items.length === 0)
    return <p className="empty">Nothing waiting: every change on this device is on the server.</p>;
  return (
    <>
      <ul className="sync-items" aria-label="Outbox">
        {items.map((item) => (
          <OutboxItem
            key={`${item.collection}/${item.id}`}
            item={item}
            now={now}
            paused={status.forcedOffline}
            onRetry={() => void retry(item)}
            onDiscard={() => setConfirm(item)}
          />
        ))}
      </ul>
      <DiscardDialog
        item={confirm}
        busy={busy}
        onKeep={() => setConfirm(undefined)}
        onDiscard={(item) => void discard(item)}
      />
    </>
  );
}

function fail(error: unknown) {
  toast({ tone: 'error', message: error instanceof Error ? error.message : String(error) });
}

interface OutboxItemProps {
  item: PendingDoc;
  now: number;
  paused: boolean;
  onRetry: () => void;
  onDiscard: () => void;
}

function OutboxItem({ item, now, paused, onRetry, onDiscard }: OutboxItemProps) {
  const fields = fieldLabels(item);
  const tone = item.change === 'created' ? 'new' : item.change === 'updated' ? 'high' : 'lost';
  return (
    <li className="sync-item" data-record-id={item.id}>
      <span className={`badge badge-${tone}`}>{CHANGE_LABEL[item.change]}</span>
      <div className="sync-item-main">
        <strong>
          <RecordName entity={item.kind} id={item.id} />
        </strong>
        <span className="muted">
          {entityLabel(item.kind)}
          {fields ? ` · ${fields}` : ''} · {relativeTime(item.writtenAt, now)}
        </span>
      </div>
      <div className="sync-item-actions">
        <button
          type="button"
          onClick={onRetry}
          disabled={paused}
          title={paused ? 'Sync is paused (forced offline)' : 'Send now'}
        >
          Retry
        </button>
        <button type="button" className="danger" onClick={onDiscard}>
          Discard…
        </button>
      </div>
    </li>
  );
}

interface DiscardDialogProps {
  item: PendingDoc | undefined;
  busy: boolean;
  onKeep: () => void;
  onDiscard: (item: PendingDoc) => void;
}

function DiscardDialog({ item, busy, onKeep, onDiscard }: DiscardDialogProps) {
  return (
    <Dialog title="Discard this change?" open={item !== undefined} onClose={onKeep}>
      {item && (
        <>
          <p>
            <strong>
              <RecordName entity={item.kind} id={item.id} />
            </strong>{' '}
            ({entityLabel(item.kind)})
          </p>
          <p className="muted">
            {item.server
              ? 'The record goes back to the version the server last sent to this device. Your unsent edits are lost.'
              : 'This record was never sent to the server. It will be removed from this device.'}{' '}
            The decision is recorded in the audit trail.
          </p>
          <div className="form-actions">
            <button type="button" onClick={onKeep}>
              Keep it
            </button>
            <button type="button" className="primary danger-fill" disabled={busy} onClick={() => onDiscard(item)}>
              Discard change
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
