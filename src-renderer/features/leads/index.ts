export { LeadsScreen } from './LeadsScreen';
