import { FIRST_FORCE } from '../../shared/domain/force';
import { hashPassword } from '../../node-common/passwords';
import type { WorkstationStore } from '../../main/store/workstation-store';
import { runSystemCommands } from '../../server/commands/system-commands';
import type { ServerRules } from '../../server/commands/plan-command';
import type { ServerStorage } from '../../server/storage/storage';

/** The enrolment key the benchmark servers are started with and their workstations present. */
export const BENCH_ENROLMENT_KEY = 'bench-enrolment-key';

/** A demonstration force account allowed to take calls and dispatch: every benchmark workstation signs in as it. */
export const BENCH_OPERATOR = { operator: 'dan', password: 'demo' } as const;

/** Operators for commands written straight into a server's storage (the seeded shift). */
export async function registerBenchOperators(storage: ServerStorage, rules: ServerRules, names: string[]): Promise<void> {
  await runSystemCommands(storage, rules, names.map((name) => ({ name: 'operator.register', args: { name, displayName: name, roles: ['call_handler', 'dispatcher'], active: true } })));
}

/**
 * Leaves a workstation that has no server as if its operator had signed in there before: what an offline sign-in
 * checks against. For the write-path benchmark, whose server never answers.
 */
export async function rememberBenchOperator(store: WorkstationStore): Promise<void> {
  const { operator, password } = BENCH_OPERATOR;
  const profile = { id: operator, force: FIRST_FORCE, displayName: operator, roles: ['call_handler' as const, 'dispatcher' as const], active: true, version: 1 };
  const verifier = await hashPassword(password);
  store.transaction(() => {
    store.signIns.remember({ operator, verifier, ticket: 'bench', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), profile, signedInAt: new Date().toISOString() });
    const record = { kind: 'operator' as const, id: operator, doc: profile };
    store.server.put(record, 0);
    store.view.write(record);
  });
}
