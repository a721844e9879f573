import { describe, expect, it } from 'vitest';
import { upgradingText } from '../../../../src-renderer/app/boot-text';

describe('the boot screen during a schema migration', () => {
  it('says how many records are copied of how many, and that it happens once', () => {
    expect(upgradingText({ handled: 12_345, total: 60_000, collections: ['activities'] })).toBe(
      "Updating this device's data for the new version: 12,345 of 60,000 records (20%). Keep the app open; this happens once.",
    );
  });

  it('shows no count before the records are counted, and never more than 100%', () => {
    expect(upgradingText({ handled: 0, total: 0, collections: ['activities'] })).toBe(
      "Updating this device's data for the new version…",
    );
    expect(upgradingText({ handled: 11, total: 10, collections: ['activities'] })).toContain('(100%)');
  });
});
