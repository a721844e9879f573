import { useEffect, useState } from 'react';
import { useNavigation } from '../../app/navigation';
import { useFiles } from '../../files/useFiles';
import { CommunicationDetail } from './components/CommunicationDetail';
import { CommunicationList } from './components/CommunicationList';
import { LogCommunicationDialog } from './components/LogCommunicationDialog';
import './communications.css';

/** Communications: every call, meeting and email logged, with the files attached; Alt+L logs one. */
export function CommunicationsScreen() {
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const [logging, setLogging] = useState(false);
  useFiles(); // starts the upload queue while signed in
  const id = route.screen === 'communications' ? route.id : undefined;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        setLogging(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className={id ? 'list-detail open comm-screen' : 'list-detail comm-screen'}>
      <CommunicationList
        selectedId={id}
        onOpen={(openId) => go({ screen: 'communications', id: openId })}
        onLog={() => setLogging(true)}
      />
      {id && (
        <aside className="detail-pane" aria-label="Record">
          <CommunicationDetail id={id} onClose={() => go({ screen: 'communications' })} />
        </aside>
      )}
      <LogCommunicationDialog
        open={logging}
        onClose={() => setLogging(false)}
        defaultType="call"
        onLogged={(newId) => go({ screen: 'communications', id: newId })}
      />
    </div>
  );
}
