import { useState } from 'react';
import type { EntityByName } from '../../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../../src-shared/schema/define-entity';
import { useCan, useCrm } from '../../../app/crm-context';
import { Dialog } from '../../../ui/Dialog';
import { errorMessage, toast } from '../../../ui/toasts';
import { useObservable } from '../../../ui/useObservable';
import { deleteWithUndo } from '../../records';
import { formatMoney, type RateBook } from '../convert-money';
import type { Deal } from '../hooks/useBoardData';
import { lineItemsTotal } from '../line-items';
import { LineItemForm } from './LineItemForm';

type LineItem = EntityRecord<EntityByName<'dealProduct'>>;
type Product = EntityRecord<EntityByName<'product'>>;

/** The deal's products: add, edit, remove (with Undo); their total against the deal's amount. */
export function LineItems({ deal, book, displayCurrency }: { deal: Deal; book: RateBook; displayCurrency: string }) {
  const { repos } = useCrm();
  const canEdit = useCan('dealProduct', 'create') && !deal.isDeleted;
  const canUpdateDeal = useCan('deal', 'update');
  const items = useObservable(
    () => repos.dealProduct.observe({ where: { dealId: deal.id }, order: 'oldest' }),
    undefined as LineItem[] | undefined,
    [repos, deal.id],
  );
  const products = useObservable(() => repos.product.observe(), [] as Product[], [repos]);
  const [editing, setEditing] = useState<LineItem | 'new'>();
  const decimals = book.decimalsOf(deal.currency);
  const money = (minor: number, currency = deal.currency) => formatMoney(minor, currency, book.decimalsOf(currency));
  const productName = (id: string) => products.find((p) => p.id === id)?.name ?? 'Unknown product';
  const total = items ? lineItemsTotal(items, deal.currency, book) : undefined;
  const converted =
    total && deal.currency !== displayCurrency
      ? book.convert({ amount: total.amount, currency: deal.currency }, displayCurrency, deal.closedAt)
      : undefined;
  const differs = total !== undefined && items !== undefined && items.length > 0 && total.amount !== deal.amount;

  const applyLineTotal = async () => {
    if (!total) return;
    try {
      await repos.deal.update(deal.id, { amount: total.amount });
      toast({ tone: 'success', message: `Deal amount set to ${money(total.amount)}.` });
    } catch (error) {
      toast({ tone: 'error', message: `Could not update the amount: ${errorMessage(error)}` });
    }
  };

  return (
    <section className="section" aria-label="Line items">
      <div className="section-head">
        <h3>Line items</h3>
        {canEdit && (
          <button type="button" onClick={() => setEditing('new')}>
            Add line item
          </button>
        )}
      </div>
      {items === undefined && <p className="muted">Loading…</p>}
      {items?.length === 0 && <p className="muted">No products on this deal yet.</p>}
      {items && items.length > 0 && (
        <table className="line-items">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Unit price
              </th>
              <th scope="col" className="num">
                Discount
              </th>
              <th scope="col" className="num">
                Total
              </th>
              {canEdit && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>{productName(item.productId)}</td>
                <td className="num">{item.quantity.toLocaleString()}</td>
                <td className="num">{money(item.unitPrice, item.currency)}</td>
                <td className="num">{item.discountPercent ? `${item.discountPercent} %` : ''}</td>
                <td className="num">{money(item.total, item.currency)}</td>
                {canEdit && (
                  <td className="line-actions">
                    <button
                      type="button"
                      aria-label={`Edit ${productName(item.productId)}`}
                      onClick={() => setEditing(item)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Remove ${productName(item.productId)}`}
                      onClick={() => void deleteWithUndo(repos.dealProduct as never, item.id)}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={4}>
                Line items total
              </th>
              <td className="num">
                <strong>{total ? formatMoney(total.amount, deal.currency, decimals) : ''}</strong>
                {converted?.ok && (
                  <span className="muted line-converted">≈ {money(converted.amount, displayCurrency)}</span>
                )}
              </td>
              {canEdit && <td />}
            </tr>
          </tfoot>
        </table>
      )}
      {differs && total && (
        <p className="deal-mismatch" role="status">
          The deal amount ({money(deal.amount)}) differs from its line items ({money(total.amount)}).
          {canUpdateDeal && !deal.isDeleted && (
            <button type="button" onClick={() => void applyLineTotal()}>
              Use line items total
            </button>
          )}
        </p>
      )}
      <Dialog
        title={editing === 'new' ? 'Add line item' : 'Edit line item'}
        open={editing !== undefined}
        onClose={() => setEditing(undefined)}
      >
        {editing !== undefined && (
          <LineItemForm
            dealId={deal.id}
            currency={deal.currency}
            products={products}
            book={book}
            {...(editing === 'new' ? {} : { item: editing })}
            onDone={() => setEditing(undefined)}
          />
        )}
      </Dialog>
    </section>
  );
}
