import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

/**
 * Asks why the operator needs to see a record the force wants a reason for (DPA 2018 s.62), before anything of it
 * is shown. The reason offered (the incident being worked on) is already typed in: Enter accepts it, or the
 * operator types another; Esc cancels and shows nothing. The reason goes into the audit log with the consultation.
 */
export function ReasonPrompt({ why, offered, onGive, onCancel }: { why: string; offered: string; onGive(reason: string): void; onCancel(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState(offered);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) onGive(reason.trim());
  };

  return (
    <dialog
      ref={dialog}
      aria-label="Reason for looking"
      onCancel={(e) => (e.preventDefault(), onCancel())}
      // Esc cancels here, before the window's own Esc can take the key and leave the dialog open.
      onKeyDown={(e) => e.key === 'Escape' && !e.defaultPrevented && (e.preventDefault(), onCancel())}
    >
      <form onSubmit={submit}>
        <p id={`${id}-why`}>{why}. The reason is kept in the audit log with your name.</p>
        <label htmlFor={`${id}-reason`}>Reason</label>
        <input id={`${id}-reason`} aria-describedby={`${id}-why`} autoFocus autoComplete="off" maxLength={300} value={reason} onChange={(e) => setReason(e.target.value)} />
        <div className="buttons">
          <button type="submit" disabled={!reason.trim()}>
            Show
          </button>
          <button type="button" onClick={onCancel}>
            Cancel (Esc)
          </button>
        </div>
      </form>
    </dialog>
  );
}
