import { applyCommand, parseCommand, readsOf } from '../../shared/commands/registry';
import type { ApplyContext, ApplyResult, StateView } from '../../shared/commands/types';
import type { ForceConfig } from '../../shared/domain/force-config';
import { keyString, type AnyRecord, type RecordDocs, type RecordKind } from '../../shared/domain/records';
import { demoConfig } from './fixtures';

/** An in-memory set of records that commands can be applied to, as the pure rules see them. */
export class RecordSet implements StateView {
  readonly records = new Map<string, AnyRecord>();

  /** Starts with operators alice, bob and carol (call handling and dispatch), dave (call handling only) and sam (a supervisor). */
  constructor() {
    for (const id of ['alice', 'bob', 'carol']) this.put([{ kind: 'operator', id, doc: { id, force: 'DMO', displayName: id, roles: ['call_handler', 'dispatcher'], active: true, version: 1 } }]);
    this.put([{ kind: 'operator', id: 'dave', doc: { id: 'dave', force: 'DMO', displayName: 'dave', roles: ['call_handler'], active: true, version: 1 } }]);
    this.put([{ kind: 'operator', id: 'sam', doc: { id: 'sam', force: 'DMO', displayName: 'sam', roles: ['supervisor'], active: true, version: 1 } }]);
  }

  get<K extends RecordKind>(kind: K, id: string): RecordDocs[K] | undefined {
    return this.records.get(keyString({ kind, id }))?.doc as RecordDocs[K] | undefined;
  }

  put(changes: AnyRecord[]): void {
    for (const change of changes) this.records.set(keyString(change), change);
  }

  /**
   * Applies a command as `operator` and keeps its changes if it succeeds. Like the server's storage, it lets the
   * command read only what its reads() declares, so a command that would fail there fails here too.
   */
  run(name: string, args: unknown, operator = 'alice', issuedAt = '2026-11-29T10:00:00.000Z', trusted = false, config: ForceConfig = demoConfig): ApplyResult {
    const parsed = parseCommand(name, args);
    if (!parsed.ok) throw new Error(parsed.reason);
    const ctx: ApplyContext = { issuedAt, actor: { operator, workstation: `WS-${operator}`, clientId: '00000000-0000-4000-8000-000000000001' }, config, ...(trusted ? { trusted } : {}) };
    const declared = new Set(readsOf(parsed.command, operator).map(keyString));
    const view: StateView = {
      get: <K extends RecordKind>(kind: K, id: string) => {
        if (!declared.has(keyString({ kind, id }))) throw new Error(`${name} read ${kind}:${id}, which its reads() does not declare`);
        return this.get(kind, id);
      },
    };
    const result = applyCommand(parsed.command, ctx, view);
    if (result.ok) this.put(result.changes);
    return result;
  }

  /** Brings a unit into service as the server does, and books it on (no shift: on until booked off). */
  registerOnDuty(unit: { callSign: string; type: string; homeStation: string }): void {
    this.must('unit.register', unit);
    this.must('unit.setDuty', { unitId: unit.callSign, duty: 'on_duty', unitVersion: this.get('unit', unit.callSign)!.version });
  }

  must(name: string, args: unknown, operator?: string): AnyRecord[] {
    // The server's own commands (units) run trusted, as the server runs them.
    const result = this.run(name, args, operator, undefined, name === 'unit.register');
    if (!result.ok) throw new Error(`${name} refused: ${result.reason}`);
    return result.changes;
  }
}
