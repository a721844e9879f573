import { useEffect } from 'react';
import { SCREENS, useNavigation } from './navigation';
import { SCREEN_INFO } from './screens';

/** App-wide keys: Alt+1…9/0 and letters open screens; Escape closes the open record. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { route, go } = useNavigation.getState();
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        const screen = SCREENS.find((id) => SCREEN_INFO[id].key === event.key.toLowerCase());
        if (screen) {
          event.preventDefault();
          go({ screen });
        }
        return;
      }
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, dialog, [contenteditable="true"]');
      if (event.key === 'Escape' && route.id && !typing) {
        go({ screen: route.screen, ...(route.tab ? { tab: route.tab } : {}) });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
