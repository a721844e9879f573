export { AuditScreen } from './AuditScreen';
export { RecordAuditTrail } from './RecordAuditTrail';
