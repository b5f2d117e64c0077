import { useEffect, useRef } from 'react';
import { hasRole, type Operator } from '../../../shared/domain/operator';
import { useConsole } from '../../state/use-console';
import { AUDIT_FIRST_FIELD, AuditPanel } from './AuditPanel';

/** Whether the operator may put questions to the audit log: a supervisor or an auditor (the server checks again). */
export function mayAudit(operator: Pick<Operator, 'roles'> | null | undefined): boolean {
  return hasRole(operator ?? undefined, 'auditor') || hasRole(operator ?? undefined, 'supervisor');
}

export function useMayAudit(): boolean {
  return mayAudit(useConsole((s) => s.session?.operator));
}

/** Whether the operator's only work is the audit log: their desk is the audit panel, and no other. */
export function auditsOnly(operator: Pick<Operator, 'roles'> | null | undefined): boolean {
  return Boolean(operator?.roles.length) && operator!.roles.every((role) => role === 'auditor');
}

/** The audit panel over any desk (Shift+F6), for a supervisor; Esc closes it. */
export function AuditDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      document.getElementById(AUDIT_FIRST_FIELD)?.focus();
    } else if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} aria-label="Audit log" className="audit-dialog" onCancel={(e) => (e.preventDefault(), onClose())}>
      {open && <AuditPanel />}
      <button type="button" onClick={onClose}>
        Close (Esc)
      </button>
    </dialog>
  );
}
