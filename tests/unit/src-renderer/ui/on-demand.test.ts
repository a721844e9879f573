import { describe, expect, it, vi } from 'vitest';
import { onDemand, preloadOnDemand } from '../../../../src-renderer/ui/on-demand';

describe('on-demand code and its preload (offline-first: every chunk fetched while online)', () => {
  it('loads each registered chunk once, and those registered while loading', async () => {
    const inner = vi.fn(async () => 'dialog');
    let registeredInner: (() => Promise<string>) | undefined;
    const outer = vi.fn(async () => {
      // A screen's module registers its own on-demand dialog when it is evaluated.
      registeredInner ??= onDemand(inner);
      return 'screen';
    });
    const screen = onDemand(outer);
    await preloadOnDemand();
    expect(outer).toHaveBeenCalledTimes(1);
    expect(inner).toHaveBeenCalledTimes(1);
    // A visit after the preload waits for nothing new.
    expect(await screen()).toBe('screen');
    expect(await registeredInner?.()).toBe('dialog');
    expect(outer).toHaveBeenCalledTimes(1);
    expect(inner).toHaveBeenCalledTimes(1);
  });

  it('a failed fetch is reported, does not stop the others, and is retried on the next use', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let fail = true;
    const flaky = onDemand(async () => {
      if (fail) throw new Error('network down');
      return 'reports';
    });
    const fine = vi.fn(async () => 'tasks');
    onDemand(fine);
    await preloadOnDemand();
    expect(fine).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not preload'), expect.any(Error));
    fail = false;
    expect(await flaky()).toBe('reports');
    warn.mockRestore();
  });
});
