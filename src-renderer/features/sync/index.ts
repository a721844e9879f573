export { AccountMenu } from './AccountMenu';
export { SyncIndicator } from './SyncIndicator';
export { SyncScreen } from './SyncScreen';
