import { describe, expect, it } from 'vitest';
import { PollingLoop } from '../../../sync-server/src/polling-loop';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('PollingLoop', () => {
  it('runs one round at a time, goes on after a failed round, and stop waits for the round in flight', async () => {
    const events: string[] = [];
    const errors: unknown[] = [];
    let running = 0;
    let rounds = 0;
    let release = () => {};
    let loop: PollingLoop | undefined;
    loop = new PollingLoop(
      async () => {
        running++;
        expect(running).toBe(1);
        const n = ++rounds;
        events.push(`start ${n}`);
        if (n === 2) {
          running--;
          throw new Error('round 2 failed');
        }
        if (n === 4) {
          // Held until the stop below: its loop sees `closing` and ends early.
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          events.push(`closing ${String(loop?.closing)}`);
        }
        events.push(`end ${n}`);
        running--;
      },
      5,
      (error) => errors.push(error),
    );
    expect(loop.closing).toBe(false);
    loop.start();
    loop.start();
    await expect.poll(() => rounds, { timeout: 2000 }).toBe(4);
    const stopped = loop.stop();
    let done = false;
    void stopped.then(() => {
      done = true;
    });
    await sleep(20);
    expect(done).toBe(false);
    release();
    await stopped;
    await sleep(30);
    expect(rounds).toBe(4);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'start 3', 'end 3', 'start 4', 'closing true', 'end 4']);
    expect(errors).toEqual([new Error('round 2 failed')]);
  });

  it('starts again after a stop', async () => {
    let rounds = 0;
    const loop = new PollingLoop(async () => void rounds++, 1000);
    loop.start();
    await expect.poll(() => rounds).toBe(1);
    await loop.stop();
    loop.start();
    await expect.poll(() => rounds).toBe(2);
    expect(loop.closing).toBe(false);
    await loop.stop();
  });
});
