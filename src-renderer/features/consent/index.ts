export { ConsentSection } from './components/ConsentSection';
export { channelConsents, recordConsent, withdrawInput } from './consent.service';
