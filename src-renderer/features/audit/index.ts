/**
 * The audit screen is not re-exported: the record pages import RecordAuditTrail from here at start,
 * and a static export would bring the screen (filters, export button) into the start bundle with it.
 * The app fetches it on demand through this loader (app/screens.tsx, registered in ui/on-demand.ts).
 * RecordAuditTrail is only the History toggle at start; the trail it opens is fetched on demand too.
 */
export const loadAuditScreen = () => import('./AuditScreen').then((m) => m.AuditScreen);
export { RecordAuditTrail } from './RecordAuditTrail';
