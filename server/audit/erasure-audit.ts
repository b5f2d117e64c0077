import { randomUUID } from 'node:crypto';
import type { RecordKey } from '../../shared/domain/records';
import { canonicalJson, type AuditDraft } from './audit-chain';

/** Who erased what, where and why (see erasureDrafts). */
export interface ErasureAct {
  by: string;
  workstation: string;
  clientId: string;
  force: string | null;
  /** Server time, ISO-8601 UTC. */
  at: string;
  reason: string;
}

/**
 * The audit entries of one erasure (shared/domain/erasure.ts): one `erasure` entry on each record erased, so a
 * question about any of them finds it, all under one id (`commandId`, the act) and the command `records.erase`.
 * The target's `after` says why and how many records went with it; each other's names the target it went with.
 * Metadata only: the records' own values are what was erased.
 */
export function erasureDrafts(act: ErasureAct, erased: readonly RecordKey[]): AuditDraft[] {
  const [target] = erased;
  if (!target) return [];
  const commandId = randomUUID();
  return erased.map((key, i) => ({
    recordedAt: act.at,
    issuedAt: act.at,
    operator: act.by,
    workstation: act.workstation,
    clientId: act.clientId,
    force: act.force,
    commandId,
    command: 'records.erase',
    kind: 'erasure',
    recordKind: key.kind,
    recordId: key.id,
    field: null,
    before: null,
    after: canonicalJson(i === 0 ? { reason: act.reason, records: erased.length } : { reason: act.reason, with: { kind: target.kind, id: target.id } }),
  }));
}
