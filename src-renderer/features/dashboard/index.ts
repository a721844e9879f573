export { DashboardScreen } from './components/DashboardScreen';
