import type { SyncCheckpoint, WireDoc } from '../../src-shared/sync/protocol';

type Page = { documents: WireDoc[]; checkpoint: SyncCheckpoint | undefined };
type Fetch = (checkpoint: SyncCheckpoint | undefined, size: number) => Promise<Page>;
type IsEqual = (a: WireDoc, b: WireDoc) => boolean;

/**
 * The states this device pushed and the server accepted, per id, until a pull brings that id back.
 * A pulled document equal to its entry is the device's own write coming back (the echo): RxDB
 * would read the record and its meta copy (decrypting both), compare, and do nothing, since the
 * assumed master state is already that state. PEER: the echo was half the push leg's AES-GCM
 * decryptions and about a third of its CPU time.
 *
 * Why the rule is safe: an entry holds what RxDB made the assumed master state when the push was
 * accepted. That changes only by another push of the id (the entry is replaced), a conflict (no
 * entry is kept) or a pull of the id, which consumes the entry, echo or not: so a later change of
 * the row back to the same state (A→B→A) comes through. A document equal to its entry therefore
 * equals the assumed master state, and RxDB's downstream does nothing for such a document (its
 * fork either equals it, or holds a local write still to push). Entries live in memory for one
 * replication: a device that starts afresh (reinstalled, wiped) holds none and receives everything.
 */
export class PushEchoes {
  private readonly accepted = new Map<string, WireDoc>();

  constructor(
    private readonly isEqual: IsEqual,
    /** Beyond this the oldest entries go: a forgotten entry only lets its echo through, as before. */
    private readonly capacity = 20_000,
  ) {}

  /** After a push: the states the server took as sent (neither in conflict nor refused). */
  pushed(states: readonly WireDoc[], notAccepted: ReadonlySet<string>): void {
    for (const state of states) {
      const id = String(state.id);
      this.accepted.delete(id);
      if (!notAccepted.has(id)) this.accepted.set(id, state);
    }
    while (this.accepted.size > this.capacity) {
      const oldest = this.accepted.keys().next();
      if (oldest.done) break;
      this.accepted.delete(oldest.value);
    }
  }

  /** Whether a pulled document is this device's accepted write; its entry is consumed either way. */
  isEcho(doc: WireDoc): boolean {
    const id = String(doc.id);
    const state = this.accepted.get(id);
    if (state === undefined) return false;
    this.accepted.delete(id);
    return this.isEqual(state, doc);
  }

  get size(): number {
    return this.accepted.size;
  }
}

/**
 * Wraps a pull page fetch so that echoes never reach RxDB, keeping RxDB's paging rules: a page
 * shorter than `size` ends its pull, and a page with no documents is dropped with its checkpoint.
 * So a full page thinned by echoes is topped up from the next pages (the answer may then hold up to
 * 2 × size − 1 documents), and a pull that found only echoes hands over the last one, so that RxDB
 * stores the checkpoint past them instead of asking for them again.
 */
export function withoutEchoes(echoes: PushEchoes, fetch: Fetch, onEchoes: (count: number) => void): Fetch {
  return async (checkpoint, size) => {
    const kept: WireDoc[] = [];
    let lastEcho: WireDoc | undefined;
    let dropped = 0;
    let at = checkpoint;
    for (;;) {
      const page = await fetch(at, size);
      for (const doc of page.documents) {
        if (echoes.size > 0 && echoes.isEcho(doc)) {
          lastEcho = doc;
          dropped++;
        } else kept.push(doc);
      }
      at = page.checkpoint ?? at;
      if (page.documents.length < size || kept.length >= size) break;
    }
    if (kept.length === 0 && lastEcho !== undefined) {
      kept.push(lastEcho);
      dropped--;
    }
    if (dropped > 0) onEchoes(dropped);
    return { documents: kept, checkpoint: at };
  };
}
