import { EXPORT_FORMATS, type ExportFormat } from '../../../../src-shared/export/export-columns';
import '../exports.css';

/**
 * The formats' names and what each is for, and their choice: shared by the list, report and audit
 * export dialogs. Apart from ExportDialog so that naming a format does not bring the dialog (loaded
 * on demand) into the main bundle.
 */
export const FORMAT_TEXT: Readonly<Record<ExportFormat, { name: string; hint: string }>> = {
  csv: { name: 'CSV', hint: 'Plain text for any tool; money as amount and currency' },
  xlsx: { name: 'Excel', hint: 'Typed cells, currency formats, frozen header' },
  pdf: { name: 'PDF', hint: 'To print or send: title, filters, last-sync stamp' },
  json: { name: 'JSON', hint: 'For developers and other systems' },
};

/** The four formats as radio cards, each with what it is for. */
export function FormatChoice({
  format,
  onChange,
  disabled,
  hints = FORMAT_TEXT,
}: {
  format: ExportFormat;
  onChange: (format: ExportFormat) => void;
  disabled: boolean;
  hints?: Readonly<Record<ExportFormat, { name: string; hint: string }>>;
}) {
  return (
    <fieldset className="export-formats" disabled={disabled}>
      <legend>Format</legend>
      {EXPORT_FORMATS.map((f) => (
        <label key={f} className={f === format ? 'export-format selected' : 'export-format'}>
          <input type="radio" name="export-format" value={f} checked={f === format} onChange={() => onChange(f)} />
          <span className="export-format-name">{hints[f].name}</span>
          <span className="muted">{hints[f].hint}</span>
        </label>
      ))}
    </fieldset>
  );
}
