import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { EntityByName } from '../../../../src-shared/entities/registry';
import type { EntityRecord } from '../../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useCrm } from '../../../app/crm-context';
import { focusFirstProblem } from '../../../ui/focus-problem';
import { localeDecimalMark, numberText } from '../../../ui/form-values';
import { errorMessage } from '../../../ui/toasts';
import { formatMoney, type RateBook } from '../convert-money';
import { useToday } from '../hooks/useBoardData';
import {
  catalogPrice,
  type LineItemInput,
  lineItemFormProblems,
  lineTotal,
  readLineItemTexts,
  saveLineItem,
} from '../line-items';

type Product = EntityRecord<EntityByName<'product'>>;
type LineItem = EntityRecord<EntityByName<'dealProduct'>>;

interface LineItemFormProps {
  dealId: string;
  currency: string;
  products: readonly Product[];
  book: RateBook;
  /** The line item being edited; a new one when undefined. */
  item?: LineItem;
  onDone: () => void;
}

const LABELS: Record<string, string> = {
  productId: 'Product',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  discountPercent: 'Discount %',
  description: 'Description',
};

/** Adds or edits one line item: the product's catalogue price in the deal's currency as default. */
export function LineItemForm({ dealId, currency, products, book, item, onDone }: LineItemFormProps) {
  const { repos } = useCrm();
  const id = useId();
  const today = useToday();
  const decimals = book.decimalsOf(currency);
  // With the locale's decimal mark, as readLineItemTexts reads it back.
  const plain = (minor: number) => (minor / 10 ** decimals).toFixed(decimals).replace('.', localeDecimalMark());
  const [productId, setProductId] = useState(item?.productId ?? '');
  const [quantity, setQuantity] = useState(item ? numberText(item.quantity) : '1');
  const [price, setPrice] = useState(item ? plain(item.unitPrice) : '');
  const [discount, setDiscount] = useState(item?.discountPercent === undefined ? '' : numberText(item.discountPercent));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped by a refused submit; focus goes to the first problem once it is rendered.
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (refused > 0) focusFirstProblem(formRef.current);
  }, [refused]);
  const choices = products.filter((p) => p.active || p.id === item?.productId);

  /** A field's problem goes away as soon as the person changes it. */
  const edited = (field: string) =>
    setProblems((current) => {
      if (!(field in current)) return current;
      const { [field]: _fixed, ...rest } = current;
      return rest;
    });

  const pick = (next: string) => {
    edited('productId');
    edited('unitPrice');
    setProductId(next);
    const product = products.find((p) => p.id === next);
    const catalogue = product && catalogPrice(product, currency, book, today);
    if (catalogue !== undefined) setPrice(plain(catalogue));
  };

  const parsed = readLineItemTexts({ quantity, price, discount }, decimals);
  const preview =
    parsed.unitPrice !== undefined && parsed.quantity > 0
      ? lineTotal(parsed.quantity, parsed.unitPrice, parsed.discount ?? 0)
      : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = lineItemFormProblems(productId, { quantity, price, discount }, decimals, currency);
    setProblems(found);
    setFormError(undefined);
    if (Object.keys(found).length > 0) {
      setRefused((n) => n + 1);
      return;
    }
    const input: LineItemInput = {
      productId,
      quantity: parsed.quantity,
      unitPrice: parsed.unitPrice as number,
      ...(parsed.discount === undefined ? {} : { discountPercent: parsed.discount }),
    };
    setSaving(true);
    try {
      await saveLineItem(repos, dealId, input, item?.id);
      onDone();
    } catch (error) {
      if (error instanceof ValidationError) {
        const byField: Record<string, string> = {};
        const other: string[] = [];
        for (const p of error.problems) {
          if (p.field in LABELS) byField[p.field] ??= p.problem;
          else other.push(`${p.field} ${p.problem}`);
        }
        setProblems(byField);
        if (Object.keys(byField).length > 0) setRefused((n) => n + 1);
        if (other.length > 0) setFormError(other.join('; '));
      } else setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const row = (field: string, input: React.ReactNode, wide = false) => (
    <div className={`form-row${wide ? ' wide' : ''}`}>
      <label htmlFor={`${id}-${field}`}>{LABELS[field]}</label>
      {input}
      {problems[field] && (
        <span id={`${id}-${field}-problem`} className="field-problem" role="alert">
          {LABELS[field]} {problems[field]}
        </span>
      )}
    </div>
  );
  const common = (field: string) => ({
    id: `${id}-${field}`,
    'aria-invalid': problems[field] !== undefined,
    'aria-describedby': problems[field] ? `${id}-${field}-problem` : undefined,
  });

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label="Line item">
      <div className="form-grid">
        {row(
          'productId',
          <select {...common('productId')} value={productId} onChange={(e) => pick(e.target.value)}>
            <option value="">Choose a product…</option>
            {choices.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.sku ? ` (${p.sku})` : ''}
              </option>
            ))}
          </select>,
          true,
        )}
        {row(
          'quantity',
          <input
            {...common('quantity')}
            inputMode="decimal"
            value={quantity}
            onChange={(e) => {
              edited('quantity');
              setQuantity(e.target.value);
            }}
          />,
        )}
        {row(
          'unitPrice',
          <input
            {...common('unitPrice')}
            inputMode="decimal"
            value={price}
            placeholder={`in ${currency}`}
            onChange={(e) => {
              edited('unitPrice');
              setPrice(e.target.value);
            }}
          />,
        )}
        {row(
          'discountPercent',
          <input
            {...common('discountPercent')}
            inputMode="decimal"
            value={discount}
            onChange={(e) => {
              edited('discountPercent');
              setDiscount(e.target.value);
            }}
          />,
        )}
        <div className="form-row">
          <span className="form-row-label">Line total</span>
          <output className="line-total-preview" aria-live="polite">
            {preview === undefined ? '—' : formatMoney(preview, currency, decimals)}
          </output>
        </div>
      </div>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : item ? 'Save line item' : 'Add line item'}
        </button>
      </div>
    </form>
  );
}
