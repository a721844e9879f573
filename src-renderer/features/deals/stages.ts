import { dealEntity } from '../../../src-shared/entities/deal.entity';
import { DEAL_STAGES, type DealStage } from '../../../src-shared/entities/enums';
import { formatValue } from '../../ui/format';

/** "closedWon" → "Closed won", as the rest of the app writes enum values. */
export function stageLabel(stage: string): string {
  return formatValue(dealEntity.fields.stage, stage, {});
}

/** The stage before or after `stage` in pipeline order; undefined past either end. */
export function neighbourStage(stage: string, step: -1 | 1): DealStage | undefined {
  const index = (DEAL_STAGES as readonly string[]).indexOf(stage);
  return index < 0 ? undefined : DEAL_STAGES[index + step];
}
