export { useReminders } from './useReminders';
