import { describe, expect, it } from 'vitest';
import type { SyncTransport } from '../../../../../src-renderer/db/sync-transport';
import { createOfflineGate, GateClosedError, gatedTransport } from '../../../../../src-renderer/sync/offline-gate';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

function countingTransport() {
  const calls: string[] = [];
  let streams = 0;
  let closed = 0;
  const transport: SyncTransport = {
    async pull(collection) {
      calls.push(`pull ${collection}`);
      return { documents: [], checkpoint: null };
    },
    async push(collection) {
      calls.push(`push ${collection}`);
      return { conflicts: [], rejected: [] };
    },
    stream() {
      streams += 1;
      return () => {
        closed += 1;
      };
    },
  };
  return { transport, calls, streams: () => streams, closed: () => closed };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the forced-offline gate', () => {
  it('keeps the choice across a reload', () => {
    const storage = memoryStorage();
    createOfflineGate(storage).setOffline(true);
    expect(createOfflineGate(storage).isOffline()).toBe(true);
    createOfflineGate(storage).setOffline(false);
    expect(createOfflineGate(storage).isOffline()).toBe(false);
  });

  it('holds requests while offline and sends them when back', async () => {
    const gate = createOfflineGate(memoryStorage());
    gate.setOffline(true);
    const inner = countingTransport();
    const gated = gatedTransport(inner.transport, gate);
    const push = gated.push('contacts', { rows: [] });
    await tick();
    expect(inner.calls).toEqual([]);
    gate.setOffline(false);
    await push;
    expect(inner.calls).toEqual(['push contacts']);
  });

  it('gives up held requests when the replication stops', async () => {
    const gate = createOfflineGate(memoryStorage());
    gate.setOffline(true);
    const gated = gatedTransport(countingTransport().transport, gate);
    const pull = gated.pull('deals', { checkpoint: null, limit: 10 });
    gated.close();
    await expect(pull).rejects.toBeInstanceOf(GateClosedError);
  });

  it('closes the live stream when switched off and reports it, so the replication reconnects later', async () => {
    const gate = createOfflineGate(memoryStorage());
    const inner = countingTransport();
    const errors: unknown[] = [];
    const close = gatedTransport(inner.transport, gate).stream(
      () => undefined,
      (e) => errors.push(e),
    );
    await tick();
    expect(inner.streams()).toBe(1);
    gate.setOffline(true);
    expect(inner.closed()).toBe(1);
    expect(errors).toHaveLength(1);
    close();
  });
});
