/**
 * The envelopes sealed or opened last, by additional data (which record) with the JSON text each
 * holds. A record and the replication meta's copy of it hold the same fields: the copy reuses the
 * record's envelope when its text is the same (PEER: one AES-GCM per pushed or pulled record, not
 * two), and an envelope read again, or read by two readers at once (RxDB reads a pulled record and
 * its meta copy together), is decrypted once. Bounded: a few replication batches.
 *
 * Holds nothing RxDB's own document cache does not hold in the clear, in the same memory.
 */
export class RecentEnvelopes {
  private readonly entries = new Map<string, { text: string | Promise<string>; envelope: string }>();

  constructor(private readonly capacity = 5000) {}

  /** The envelope holding exactly `json` for `aad`, if one was sealed or opened lately. */
  envelopeOf(aad: string, json: string): string | undefined {
    const entry = this.entries.get(aad);
    return entry?.text === json ? entry.envelope : undefined;
  }

  /** The text `envelope` holds (or will, once decrypted), if it was sealed or opened lately with this `aad`. */
  textOf(aad: string, envelope: unknown): string | Promise<string> | undefined {
    const entry = this.entries.get(aad);
    return entry !== undefined && entry.envelope === envelope ? entry.text : undefined;
  }

  /** `text` may be the decryption under way; if it fails, the entry goes and the failure stays the caller's. */
  remember(aad: string, text: string | Promise<string>, envelope: string): void {
    const entry = { text, envelope };
    this.entries.delete(aad);
    this.entries.set(aad, entry);
    if (typeof text !== 'string') {
      text.then(
        (plain) => {
          if (this.entries.get(aad) === entry) entry.text = plain;
        },
        () => {
          if (this.entries.get(aad) === entry) this.entries.delete(aad);
        },
      );
    }
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
