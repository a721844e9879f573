export { ContactsScreen } from './ContactsScreen';
export { OwnerFilter } from './components/OwnerFilter';
export { RecordActions } from './components/RecordActions';
