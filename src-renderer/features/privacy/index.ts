export { DataBundleButton } from './components/DataBundleButton';
export { bundleFor, deviceRecordsAbout, OFFLINE_NOTE, unsyncedIds } from './device-bundle';
