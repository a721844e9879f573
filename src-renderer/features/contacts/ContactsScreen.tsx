import { useNavigation } from '../../app/navigation';
import { Contact360 } from './components/Contact360';
import { ContactList } from './components/ContactList';
import './contacts.css';

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
          <Contact360 key={id} id={id} onClose={() => go({ screen: 'contacts' })} />
        </aside>
      )}
    </div>
  );
}
