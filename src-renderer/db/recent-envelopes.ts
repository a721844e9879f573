/**
 * The envelopes sealed or opened last, by additional data (which record) with the JSON text each
 * holds. A record and the replication meta's copy of it hold the same fields: the copy reuses the
 * record's envelope when its text is the same (PEER: one AES-GCM per pushed or pulled record, not
 * two), and an envelope read again opens without decrypting. Bounded: a few replication batches.
 *
 * Holds nothing RxDB's own document cache does not hold in the clear, in the same memory.
 */
export class RecentEnvelopes {
  private readonly entries = new Map<string, { json: string; envelope: string }>();

  constructor(private readonly capacity = 5000) {}

  /** The envelope holding exactly `json` for `aad`, if one was sealed or opened lately. */
  envelopeOf(aad: string, json: string): string | undefined {
    const entry = this.entries.get(aad);
    return entry?.json === json ? entry.envelope : undefined;
  }

  /** The text `envelope` holds, if it was sealed or opened lately with this `aad`. */
  textOf(aad: string, envelope: unknown): string | undefined {
    const entry = this.entries.get(aad);
    return entry !== undefined && entry.envelope === envelope ? entry.json : undefined;
  }

  remember(aad: string, json: string, envelope: string): void {
    this.entries.delete(aad);
    this.entries.set(aad, { json, envelope });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
