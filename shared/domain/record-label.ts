import type { ForceCode } from './force';

/**
 * How an audit answer names a record to the force asking (issue 13: "what did this operator look at" read as
 * "incident DMO-2026-000123", not a uuid): a few words from the record's own documents, or null where it cannot be
 * named so, and the answer then shows its kind and id. Only the asking force's own records are named: another
 * force's record keeps its id, which says nothing the entry did not say already. One erased (no document) is named
 * here by nothing; the answer names it from its erasure entry (server/audit/erasure-audit.ts, erasedRecordLabel).
 * Nothing personal goes into a label (no caller, no log text): only the force's serial names and call signs.
 *
 * `doc`: the record's stored document (null or undefined: erased or unknown). `incident`: the document of the
 * incident a record belongs to (its `incidentId`), where it has one. `unit`: the unit a deployment is of.
 */
export function recordLabel(kind: string, doc: unknown, force: ForceCode, related: { incident?: unknown; unit?: unknown } = {}): string | null {
  const own = asObject(doc);
  if (!own || own.force !== force) return null;
  const incident = asObject(related.incident);
  const onIncident = incident && incident.force === force ? referenceOf(incident) : null;
  switch (kind) {
    case 'incident': {
      const reference = referenceOf(own);
      return reference ? `incident ${reference}` : null;
    }
    case 'logEntry':
      return onIncident ? `log entry on ${onIncident}` : null;
    case 'assignment': {
      if (!onIncident) return null;
      const unit = asObject(related.unit);
      const callSign = unit && typeof unit.callSign === 'string' ? unit.callSign : null;
      return callSign ? `deployment of ${callSign} on ${onIncident}` : `deployment on ${onIncident}`;
    }
    case 'contact': {
      const source = typeof own.source === 'string' ? `${own.source} call` : 'call';
      return onIncident ? `${source} on ${onIncident}` : null;
    }
    case 'share':
      return onIncident && typeof own.sharedWith === 'string' ? `share of ${onIncident} with ${own.sharedWith}` : null;
    case 'unit':
      return typeof own.callSign === 'string' ? `unit ${own.callSign}` : null;
    default:
      return null;
  }
}

/** The records a label of this kind needs beside its own: the incident it belongs to (by `incidentId`) and a deployment's unit. */
export function labelNeeds(kind: string, doc: unknown): { incidentId: string | null; unitId: string | null } {
  const own = asObject(doc);
  const incidentId = own && kind !== 'incident' && typeof own.incidentId === 'string' ? own.incidentId : null;
  const unitId = own && kind === 'assignment' && typeof own.unitId === 'string' ? own.unitId : null;
  return { incidentId, unitId };
}

/** An incident's reference as people use it: the force's once given, the provisional one until then. */
function referenceOf(incident: Record<string, unknown>): string | null {
  if (typeof incident.reference === 'string' && incident.reference) return incident.reference;
  return typeof incident.provisionalReference === 'string' && incident.provisionalReference ? incident.provisionalReference : null;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
