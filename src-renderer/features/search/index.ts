export { SearchLauncher } from './SearchLauncher';
export type { SearchKind } from './search-documents';
