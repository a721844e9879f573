import { noteEntity } from '../../../../src-shared/entities/work.entity';
import { FieldInput } from '../../../ui/FieldInput';
import type { NoteType } from '../note-actions';

/** The Type row of the add and edit note forms: the registry's select of note types. */
export function NoteTypeField({
  formId,
  value,
  onChange,
}: {
  formId: string;
  value: NoteType;
  onChange: (value: NoteType) => void;
}) {
  return (
    <div className="form-row">
      <label htmlFor={`${formId}-type`}>Type</label>
      <FieldInput
        id={`${formId}-type`}
        field={noteEntity.fields.noteType}
        text={value}
        onText={(text) => onChange(text as NoteType)}
      />
    </div>
  );
}
