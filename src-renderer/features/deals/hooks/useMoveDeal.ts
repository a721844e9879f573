import { useCallback, useRef, useState } from 'react';
import type { DealStage } from '../../../../src-shared/entities/enums';
import { useCrm } from '../../../app/crm-context';
import { errorMessage, toast } from '../../../ui/toasts';
import { moveDealToStage, needsLossReason } from '../move-deal';
import { DealMoveQueue } from '../move-queue';
import { stageLabel } from '../stages';

export interface PendingLoss {
  dealId: string;
  stage: DealStage;
}

export interface MoveDeal {
  /** Moves at once, or first asks for what the stage needs (a loss reason). */
  request: (dealId: string, stage: DealStage) => void;
  /** The move waiting for a loss reason, if any. */
  pending: PendingLoss | undefined;
  confirm: (lossReason: string) => Promise<void>;
  cancel: () => void;
}

/** Every move of the screen (drag, keyboard, detail) goes through here to moveDealToStage. */
export function useMoveDeal(): MoveDeal {
  const crm = useCrm();
  const [pending, setPending] = useState<PendingLoss>();
  const queue = useRef(new DealMoveQueue());

  const perform = useCallback(
    async (dealId: string, stage: DealStage, lossReason?: string) => {
      const moved = await queue.current.run(dealId, stage, async () => {
        const before = await crm.repos.deal.get(dealId);
        const { deal } = await moveDealToStage(crm, dealId, stage, lossReason ? { lossReason } : {});
        return { before, deal };
      });
      if (!moved) return;
      const { before, deal } = moved;
      const from = before?.stage as DealStage | undefined;
      toast({
        tone: 'success',
        message: `“${deal.name}” moved to ${stageLabel(stage)}.`,
        ...(from
          ? {
              action: {
                label: 'Undo',
                run: async () => {
                  try {
                    await moveDealToStage(
                      crm,
                      dealId,
                      from,
                      before?.lossReason ? { lossReason: before.lossReason } : {},
                    );
                  } catch (error) {
                    toast({ tone: 'error', message: `Could not move back: ${errorMessage(error)}` });
                  }
                },
              },
            }
          : {}),
      });
    },
    [crm],
  );

  const request = useCallback(
    (dealId: string, stage: DealStage) => {
      if (needsLossReason(stage)) {
        setPending({ dealId, stage });
        return;
      }
      perform(dealId, stage).catch((error) =>
        toast({ tone: 'error', message: `Could not move the deal: ${errorMessage(error)}` }),
      );
    },
    [perform],
  );

  const confirm = useCallback(
    async (lossReason: string) => {
      if (!pending) return;
      await perform(pending.dealId, pending.stage, lossReason);
      setPending(undefined);
    },
    [pending, perform],
  );

  return { request, pending, confirm, cancel: () => setPending(undefined) };
}
