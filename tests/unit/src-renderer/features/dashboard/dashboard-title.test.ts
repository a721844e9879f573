import { describe, expect, it } from 'vitest';
import { dashboardTitle } from '../../../../../src-renderer/features/dashboard/components/DashboardScreen';

describe('dashboardTitle', () => {
  it('names the rep viewed', () => {
    expect(dashboardTitle({ firstName: 'Dorris', lastName: 'Kuphal' }, 'u2', true, 'Demo user')).toBe(
      'Dorris Kuphal’s dashboard',
    );
  });

  it('names nobody while the default rep is being found (the demo user is not one of the people)', () => {
    expect(dashboardTitle(undefined, undefined, true, 'Demo user')).toBe('Dashboard');
  });

  it('names the user when no people are known yet or the rep is not among them', () => {
    expect(dashboardTitle(undefined, undefined, false, 'Ann Lee')).toBe('Ann Lee’s dashboard');
    expect(dashboardTitle(undefined, 'u9', true, 'Ann Lee')).toBe('Ann Lee’s dashboard');
  });
});
