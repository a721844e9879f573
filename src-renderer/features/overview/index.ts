export { EntityNav } from './components/EntityNav';
export { RecordTable } from './components/RecordTable';
