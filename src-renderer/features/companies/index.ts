export { CompaniesScreen } from './CompaniesScreen';
