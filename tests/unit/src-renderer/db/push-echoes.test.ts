import { describe, expect, it } from 'vitest';
import { PushEchoes, withoutEchoes } from '../../../../src-renderer/db/push-echoes';
import { sameValue } from '../../../../src-shared/sync/merge';
import type { SyncCheckpoint, WireDoc } from '../../../../src-shared/sync/protocol';

const doc = (id: string, name = 'x', deleted = false): WireDoc => ({ id, kind: 'contact', name, _deleted: deleted });
const at = (n: number): SyncCheckpoint => ({ epoch: 'e', txid: String(n), id: '' });
const echoes = () => new PushEchoes(sameValue);

/** A server of pages over `rows`: each checkpoint is the index of the next row. */
function server(rows: WireDoc[]) {
  const asked: number[] = [];
  const fetch = async (checkpoint: SyncCheckpoint | undefined, size: number) => {
    const from = checkpoint ? Number(checkpoint.txid) : 0;
    asked.push(from);
    const documents = rows.slice(from, from + size);
    return { documents, checkpoint: documents.length > 0 ? at(from + documents.length) : checkpoint };
  };
  return { fetch, asked };
}

describe('PushEchoes', () => {
  it('recognises an accepted state once, and only that state', () => {
    const e = echoes();
    e.pushed([doc('a'), doc('b'), doc('c')], new Set(['c']));
    expect(e.isEcho(doc('a', 'other'))).toBe(false);
    // Consumed by the pull above: the same state later (A→B→A on the server) is news.
    expect(e.isEcho(doc('a'))).toBe(false);
    expect(e.isEcho(doc('b'))).toBe(true);
    expect(e.isEcho(doc('b'))).toBe(false);
    // In conflict or refused: the server does not hold it, never an echo.
    expect(e.isEcho(doc('c'))).toBe(false);
    expect(e.isEcho(doc('d'))).toBe(false);
    expect(e.size).toBe(0);
  });

  it('keeps only the latest push of an id, and forgets one later pushed and refused', () => {
    const e = echoes();
    e.pushed([doc('a', 'first')], new Set());
    e.pushed([doc('a', 'second')], new Set());
    expect(e.isEcho(doc('a', 'first'))).toBe(false);
    e.pushed([doc('b', 'first')], new Set());
    e.pushed([doc('b', 'second')], new Set(['b']));
    expect(e.isEcho(doc('b', 'first'))).toBe(false);
    expect(e.isEcho(doc('b', 'second'))).toBe(false);
  });

  it('tells a removal from the live record it removes', () => {
    const e = echoes();
    e.pushed([doc('a')], new Set());
    expect(e.isEcho(doc('a', 'x', true))).toBe(false);
  });

  it('holds at most its capacity, dropping the oldest', () => {
    const e = new PushEchoes(sameValue, 2);
    e.pushed([doc('a'), doc('b'), doc('c')], new Set());
    expect(e.size).toBe(2);
    expect(e.isEcho(doc('a'))).toBe(false);
    expect(e.isEcho(doc('c'))).toBe(true);
  });
});

describe('withoutEchoes', () => {
  it('passes every document through when nothing was pushed', async () => {
    const rows = [doc('a'), doc('b'), doc('c')];
    const { fetch } = server(rows);
    const page = await withoutEchoes(echoes(), fetch, () => {})(undefined, 2);
    expect(page.documents.map((d) => d.id)).toEqual(['a', 'b']);
    expect(page.checkpoint).toEqual(at(2));
  });

  it('tops a full page thinned by echoes up from the next pages, so RxDB does not stop early', async () => {
    const rows = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => doc(id));
    const e = echoes();
    e.pushed([doc('a'), doc('b'), doc('c'), doc('e')], new Set());
    const { fetch, asked } = server(rows);
    let counted = 0;
    const page = await withoutEchoes(e, fetch, (n) => {
      counted += n;
    })(undefined, 2);
    // Pages [a b] [c d] [e f]: d and f make the 2 a full page needs, past the echoes.
    expect(page.documents.map((d) => d.id)).toEqual(['d', 'f']);
    expect(page.checkpoint).toEqual(at(6));
    expect(asked).toEqual([0, 2, 4]);
    expect(counted).toBe(4);
  });

  it('hands over the last echo of a pull that found nothing else, so RxDB stores the checkpoint past them', async () => {
    const rows = ['a', 'b', 'c'].map((id) => doc(id));
    const e = echoes();
    e.pushed(rows, new Set());
    const { fetch, asked } = server(rows);
    let counted = 0;
    const page = await withoutEchoes(e, fetch, (n) => {
      counted += n;
    })(undefined, 2);
    expect(page.documents.map((d) => d.id)).toEqual(['c']);
    expect(page.checkpoint).toEqual(at(3));
    expect(asked).toEqual([0, 2]);
    expect(counted).toBe(2);
  });

  it('returns an empty page with the same checkpoint when the server has nothing new', async () => {
    const { fetch } = server([doc('a')]);
    const page = await withoutEchoes(echoes(), fetch, () => {})(at(1), 5);
    expect(page).toEqual({ documents: [], checkpoint: at(1) });
  });

  it('lets a failed fetch fail the pull (RxDB retries it)', async () => {
    const failing = async () => {
      throw new Error('offline');
    };
    await expect(withoutEchoes(echoes(), failing, () => {})(undefined, 5)).rejects.toThrow('offline');
  });
});
