import { describe, expect, it } from 'vitest';
import { listCountText } from '../../../../src-renderer/ui/count-text';
import { COUNT_CAP } from '../../../../src-renderer/ui/live-pages';

describe('listCountText', () => {
  it('is exact below the cap and "10,000+" above it, with the plural', () => {
    expect(listCountText(undefined, false, 'contact', 'contacts')).toBe('');
    expect(listCountText(1, false, 'contact', 'contacts')).toBe('1 contact');
    expect(listCountText(2345, false, 'contact', 'contacts')).toBe((2345).toLocaleString() + ' contacts');
    expect(listCountText(COUNT_CAP, true, 'company', 'companies')).toBe(`${COUNT_CAP.toLocaleString()}+ companies`);
  });
});
