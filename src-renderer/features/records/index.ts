export { DeleteRestoreClose } from './DeleteRestoreClose';
export { deleteWithUndo } from './delete-with-undo';
export { EntityList } from './EntityList';
export { ListDetailScreen } from './ListDetailScreen';
export { RecordDetail } from './RecordDetail';
export { columnsFor, defaultColumnFields, FieldCell } from './record-columns';
export { useRecord } from './useRecord';
