import { randomUUID } from 'node:crypto';
import { HttpWorkstation } from './http-workstation';
import { startServerProcess } from './processes';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';

/**
 * Sets an operator's roles as a force administrator does at the console (an `operator.setRoles` command from the
 * administrator's workstation, here reduced to its HTTP conversation), while the room's own server is down: on a
 * server process started on its database alone for it, on a port of its own, so that no workstation waiting for the
 * room's port can send anything first. Stops that server before returning. (Restarting with a changed operators
 * file does not do it: the file seeds new accounts only.) Throws if the command is not applied.
 */
export async function setRolesWhileRoomServerIsDown(database: string, name: string, roles: string[]): Promise<void> {
  const server = await startServerProcess(database);
  try {
    const admin = await (await HttpWorkstation.enrol(server.url, randomUUID())).signIn('admin');
    const account = (await admin.pulled()).changes.find((c) => c.kind === 'operator' && c.id === name)?.doc as { version: number } | undefined;
    if (!account) throw new Error(`no operator ${name} on the server`);
    const command: CommandEnvelope = { commandId: randomUUID(), clientId: admin.clientId, clientSeq: 1, name: 'operator.setRoles', args: { name, roles, operatorVersion: account.version }, issuedAt: new Date().toISOString(), operator: 'admin', ticket: '', workstation: 'ADMIN-HTTP', schemaVersion: SCHEMA_VERSION };
    const [outcome] = (await admin.pushed([command])).outcomes;
    if (outcome?.status !== 'applied') throw new Error(`setting ${name}'s roles was not applied: ${JSON.stringify(outcome)}`);
  } finally {
    await server.stop();
  }
}
