import { Suspense } from 'react';
import { useNavigation } from '../../app/navigation';
import { LoadingStatus } from '../../ui/LoadingStatus';
import { lazyComponent } from '../../ui/on-demand';
import { ContactList } from './components/ContactList';
import './contacts.css';

/**
 * The 360 pane is its own chunk (with the timeline, tasks and communications it shows): Contacts is
 * a start screen, in the main bundle, and its list should not wait for the pane's code.
 */
const { Component: Contact360 } = lazyComponent(() => import('./components/Contact360').then((m) => m.Contact360));

/** Contacts: the list, and the open contact's 360 beside it (its id in the route, so Back closes it). */
export function ContactsScreen() {
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const id = route.screen === 'contacts' ? route.id : undefined;
  return (
    <div className={id ? 'list-detail open view-360' : 'list-detail view-360'}>
      <ContactList
        selectedId={id}
        compact={id !== undefined}
        onOpen={(openId) => go({ screen: 'contacts', id: openId })}
      />
      {id && (
        <aside className="detail-pane" aria-label="Contact">
          <Suspense fallback={<LoadingStatus what="the contact" />}>
            <Contact360 key={id} id={id} onClose={() => go({ screen: 'contacts' })} />
          </Suspense>
        </aside>
      )}
    </div>
  );
}
