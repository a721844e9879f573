export { ContentScreen } from './ContentScreen';
