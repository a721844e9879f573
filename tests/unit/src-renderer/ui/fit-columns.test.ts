import { describe, expect, it } from 'vitest';
import { columnsThatFit, MIN_PX_PER_FR, minTrackPx } from '../../../../src-renderer/ui/fit-columns';

describe('fit columns', () => {
  it('reads px tracks as they are and fr tracks by their share', () => {
    expect(minTrackPx('120px')).toBe(120);
    expect(minTrackPx('1.6fr')).toBe(Math.round(1.6 * MIN_PX_PER_FR));
    expect(minTrackPx('0.8fr')).toBe(MIN_PX_PER_FR);
    expect(minTrackPx(undefined)).toBe(MIN_PX_PER_FR);
    expect(minTrackPx('minmax(10px, 1fr)')).toBe(MIN_PX_PER_FR);
  });

  it('keeps columns in order while they fit, and always the first', () => {
    const tracks = ['1.6fr', '1fr', '1fr', '120px'];
    expect(columnsThatFit(tracks, 2000)).toBe(4);
    expect(columnsThatFit(tracks, 176 + 110 + 110 + 120)).toBe(4);
    expect(columnsThatFit(tracks, 176 + 110 + 110 + 119)).toBe(3);
    expect(columnsThatFit(tracks, 300)).toBe(2);
    expect(columnsThatFit(tracks, 100)).toBe(1);
  });

  it('counts the gap between two columns', () => {
    expect(columnsThatFit(['100px', '100px', '100px'], 320, 10)).toBe(3);
    expect(columnsThatFit(['100px', '100px', '100px'], 319, 10)).toBe(2);
  });

  it('shows every column before the table is measured', () => {
    expect(columnsThatFit(['1fr', '1fr', '1fr'], 0)).toBe(3);
    expect(columnsThatFit(['1fr', '1fr'], Number.NaN)).toBe(2);
  });
});
