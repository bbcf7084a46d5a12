/** The message under a form field: an error to fix, in words a person can act on. */
export function FieldMessage(props: { id: string; message: string | null | undefined }) {
  if (!props.message) return null;
  return (
    <p className="field-message" id={props.id} role="alert">
      {props.message}
    </p>
  );
}
