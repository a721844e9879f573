/**
 * A background worker's rounds: one at a time, the next `pollMs` after the previous ended (however
 * it ended), until `stop()`, which waits for the round in flight. A round's own loops read
 * `closing` to end early, after the item in hand (an email being sent is not cut off).
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = true;
  private stopping = false;

  constructor(
    private readonly runRound: () => Promise<unknown>,
    private readonly pollMs: number,
    private readonly onError?: (error: unknown) => void,
  ) {}

  /** A stop was asked for: a round should end after its current item. */
  get closing(): boolean {
    return this.stopping;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runRound()
        .then(() => undefined)
        .catch((error: unknown) => this.onError?.(error))
        .finally(() => this.schedule(this.pollMs));
    }, delay);
  }
}
