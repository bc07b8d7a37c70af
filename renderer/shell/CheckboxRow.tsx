/**
 * A checkbox with its label beside it, tied by id (every input has a label), as the forms and settings show
 * them. `describedBy` names the id of a help text the screen reader reads with it. `managedNote` (a setting the
 * organisation's policy locks) disables the box and says why beside it.
 */
export function CheckboxRow({
  id,
  label,
  checked,
  onChange,
  describedBy,
  managedNote,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  describedBy?: string;
  managedNote?: string;
}) {
  const noteId = `${id}-managed`;
  return (
    <div className="row">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={managedNote !== undefined}
        aria-describedby={managedNote !== undefined ? noteId : describedBy}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {managedNote !== undefined ? (
        <span id={noteId} className="field-hint" data-testid="managed">
          {managedNote}
        </span>
      ) : null}
    </div>
  );
}
