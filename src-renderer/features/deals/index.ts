export {
  type Conversion,
  createRateBook,
  formatMoney,
  type Money,
  parseMoney,
  type Rate,
  type RateBook,
  totalIn,
} from './convert-money';
export { DealsScreen } from './DealsScreen';
export { useRateBook } from './hooks/useMoney';
export { lineTotal, saveLineItem } from './line-items';
export { createDeal, isClosedStage, moveDealToStage } from './move-deal';
