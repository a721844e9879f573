import { create } from 'zustand';

/** Every top-level screen of the app, in sidebar order. */
export const SCREENS = [
  'dashboard',
  'leads',
  'contacts',
  'companies',
  'deals',
  'tasks',
  'notes',
  'content',
  'communications',
  'reports',
  'settings',
  'audit',
  'sync',
  'import',
] as const;
export type ScreenId = (typeof SCREENS)[number];

/** Where the user is: a screen, optionally one record on it and a tab or view of that screen. */
export interface Route {
  readonly screen: ScreenId;
  readonly id?: string;
  readonly tab?: string;
}

const DEFAULT_ROUTE: Route = { screen: 'leads' };

function isScreen(value: string | undefined): value is ScreenId {
  return (SCREENS as readonly string[]).includes(value ?? '');
}

/** `#/deals/d_1?tab=board` → route; anything unknown → the default screen. */
export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [screen, id] = path.split('/').map((part) => decodeURIComponent(part));
  if (!isScreen(screen)) return DEFAULT_ROUTE;
  const tab = new URLSearchParams(query).get('tab') ?? undefined;
  return { screen, ...(id ? { id } : {}), ...(tab ? { tab } : {}) };
}

export function hashOf(route: Route): string {
  const id = route.id ? `/${encodeURIComponent(route.id)}` : '';
  const tab = route.tab ? `?tab=${encodeURIComponent(route.tab)}` : '';
  return `#/${route.screen}${id}${tab}`;
}

interface NavigationState {
  route: Route;
  /** Goes to a route; it lands in the browser history, so Back returns (Alt+Left, mouse back). */
  go: (route: Route) => void;
  /** Opens a record on its screen, keeping the screen's current tab. */
  open: (screen: ScreenId, id: string) => void;
}

const readHash = (): Route => (typeof location === 'undefined' ? DEFAULT_ROUTE : parseHash(location.hash));

/** UI state only: the route lives in the URL hash so that reload and Back keep the user's place. */
export const useNavigation = create<NavigationState>((set, get) => ({
  route: readHash(),
  go: (route) => {
    const hash = hashOf(route);
    if (typeof location !== 'undefined' && location.hash !== hash) location.hash = hash;
    set({ route });
  },
  open: (screen, id) => {
    const current = get().route;
    get().go({ screen, id, ...(current.screen === screen && current.tab ? { tab: current.tab } : {}) });
  },
}));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const route = readHash();
    if (hashOf(route) !== hashOf(useNavigation.getState().route)) useNavigation.setState({ route });
  });
}
