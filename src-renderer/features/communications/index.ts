export { CommunicationsScreen } from './CommunicationsScreen';
export { AttachmentList } from './components/AttachmentList';
export { LogCommunicationDialog, type LogCommunicationDialogProps } from './components/LogCommunicationDialog';
export { type LogCommunicationInput, logCommunication } from './log-communication';
