/**
 * The moves of one deal, made one after another. A move asked for while the previous one is still
 * being written waits for it instead of being dropped: the history shows a move before the deal's
 * own update is written, so a user moving on at once (Qualification, then Proposal) asks while the
 * first is in flight, and dropping it lost the second move without a word. A move to the stage the
 * last pending move is already going to is that move asked twice (a double drop, a held-down key)
 * and is not made again.
 */
export class DealMoveQueue {
  private readonly last = new Map<string, { stage: string; done: Promise<unknown> }>();

  /** Runs `move` after the deal's pending moves; undefined when it repeats the last pending one. */
  run<T>(dealId: string, stage: string, move: () => Promise<T>): Promise<T | undefined> {
    const pending = this.last.get(dealId);
    if (pending?.stage === stage) return Promise.resolve(undefined);
    // A failed move has told its user (its own promise rejects); the next one still runs.
    const after = pending ? pending.done.catch(() => undefined) : Promise.resolve();
    const done = after.then(move);
    const entry = { stage, done };
    this.last.set(dealId, entry);
    const settle = () => {
      if (this.last.get(dealId) === entry) this.last.delete(dealId);
    };
    done.then(settle, settle);
    return done;
  }
}
