import type { ConflictView, IncidentView, LoanView, TransferView, UnitView } from '../../../shared/contract/views';
import { displayReference } from '../../../shared/domain/incident';
import { commandWords } from '../../../shared/commands/command-words';
import { recordKindWords } from '../../../shared/domain/audit-words';
import { describeCommonPriority, type CommonPriority } from '../../../shared/domain/common-priority';
import { roleNames, type Role } from '../../../shared/domain/operator';

/**
 * What the desk holds to name records by: its incidents and units and, for another force's incident it does not hold
 * (or no longer holds), the summaries its loans and offers carry of it (shared/domain/loan.ts LoanIncidentSummary).
 */
export type Lookup = { incidents: Record<string, IncidentView>; units: Record<string, UnitView>; loans?: Record<string, LoanView>; transfers?: Record<string, TransferView> };

/**
 * An incident as this desk may name it: its reference; another force's incident as the share shows it, with whose it
 * is and its type in that force's words ("DMO-20261202-0003, DMO's Assault"); one not held here, as a loan or an offer
 * of this force described it; else null (nothing here says which).
 */
export function nameIncident(id: string | undefined, lookup: Lookup): string | null {
  if (!id) return null;
  const found = lookup.incidents[id];
  if (found) {
    const reference = displayReference(found) || 'an incident';
    const shared = found.sharedView;
    return shared ? `${reference}, ${found.force}'s ${shared.typeName ?? 'incident'}` : reference;
  }
  const summary = [...Object.values(lookup.loans ?? {}), ...Object.values(lookup.transfers ?? {})].find((record) => record.incidentId === id);
  return summary ? `${summary.incident.reference}, ${summary.force}'s ${summary.incident.type}` : null;
}

/** What a field missing from a command's kept arguments is called in its words. */
const FIELD_WORDS: Record<string, string> = {
  unitId: 'a unit',
  receipt: 'answered',
  status: 'a status',
  closingCode: 'a closing code',
  grade: 'another grade',
  type: 'another type',
  lender: 'another force',
  to: 'another force',
  sharedWith: 'another force',
  issuedBy: 'someone',
};

const statusWords: Record<string, string> = { assigned: 'assigned', en_route: 'en route', at_scene: 'at scene', cleared: 'cleared' };

/**
 * A command as an operator would say what they did: "Deploy DM-11 to DMO-20261129-0002". A command whose arguments
 * are not kept (null: cleared when a record it named was erased, server/storage/storage.ts withoutErasedArguments;
 * or a refusal's, withdrawn as too large or unreadable) is said by its kind alone ("Deploy or reserve a unit"), and
 * a field missing from what is kept by a general word ("a unit"), never "undefined" or the command's code name.
 */
export function describeCommand(name: string, args: unknown, lookup: Lookup): string {
  if (args === null || typeof args !== 'object') return sentence(commandWords(name));
  const kept = args as Record<string, unknown>;
  const word = (field: string, otherwise: string): string => (typeof kept[field] === 'string' && kept[field] !== '' ? (kept[field] as string) : otherwise);
  const say = (field: string): string => word(field, FIELD_WORDS[field] ?? '…');
  const incident = (id: unknown) => nameIncident(typeof id === 'string' ? id : undefined, lookup) ?? 'an incident';
  switch (name) {
    case 'unit.assign':
      return `Deploy ${say('unitId')} to ${incident(kept.incidentId)}`;
    case 'assignment.record':
      return `Enter ${say('unitId')}’s deployment kept on paper, on ${incident(kept.incidentId)}`;
    case 'assignment.receipt':
      return `${say('unitId')}’s crew: ${kept.receipt === 'rejected' ? `rejected the deployment${kept.note ? ` (“${say('note')}”)` : ''}` : `${say('receipt')} the deployment`} on ${incident(kept.incidentId)}`;
    case 'assignment.setStatus':
      return `Set ${say('unitId')} ${statusWords[String(kept.status)] ?? say('status')} on ${incident(kept.incidentId)}`;
    case 'incident.close':
      return `Close ${incident(kept.incidentId)} (${say('closingCode')})`;
    case 'incident.reopen':
      return `Reopen ${incident(kept.incidentId)}: “${say('reason')}”`;
    case 'incident.changeType':
      return `Change the type of ${incident(kept.incidentId)} to ${say('type')}`;
    case 'incident.regrade':
      return `Regrade ${incident(kept.incidentId)} to ${say('grade')}`;
    case 'incident.assessRisk':
      return `Assess the risk of ${incident(kept.incidentId)}`;
    case 'contact.attach':
      return `Attach a call to ${incident(kept.incidentId)}`;
    case 'contact.answerOnPaper':
      return `Enter a call answered on paper, on ${incident(kept.incidentId)}`;
    case 'incident.takeOwnership':
      return `Take ownership of ${incident(kept.incidentId)}`;
    case 'incident.addLog':
      return `Log on ${incident(kept.incidentId)}: “${say('text')}”`;
    case 'incident.update':
      return `Correct ${incident(kept.incidentId)}`;
    case 'incident.create':
      return `Create an incident at ${(args as { location?: { text?: string } }).location?.text ?? 'a location'}`;
    case 'task.claim':
      return 'Claim a call-back';
    case 'task.attempt':
      return `Record a call-back attempt: “${say('result')}”`;
    case 'task.complete':
      return `Close a call-back: “${say('outcome')}”`;
    case 'loan.request':
      return `Ask ${say('lender')} for a unit for ${incident(kept.incidentId)}`;
    case 'loan.accept':
      return `Lend ${say('unitId')} to another force`;
    case 'loan.decline':
      return `Decline another force’s request for a unit: “${say('reason')}”`;
    case 'loan.withdraw':
      return 'Withdraw a request for a unit';
    case 'loan.return':
      return `Return ${say('unitId')}`;
    case 'transfer.offer':
      return `Offer ${incident(kept.incidentId)} to ${say('to')}: “${say('reason')}”`;
    case 'transfer.accept':
      return 'Accept an incident another force offered';
    case 'transfer.decline':
      return `Decline an incident another force offered: “${say('reason')}”`;
    case 'transfer.withdraw':
      return 'Withdraw an offer of an incident';
    case 'arrangement.approve':
      return 'Approve a standing sharing arrangement';
    case 'arrangement.withdraw':
      return `Withdraw a standing sharing arrangement: “${say('reason')}”`;
    case 'share.create':
      return `Share ${incident(kept.incidentId)} with ${say('sharedWith')} (${kept.tier === 'assist' ? 'assist' : 'view'}): “${say('reason')}”`;
    case 'refusal.handle':
      return `${kept.action === 'dismissed' ? 'Dismiss' : 'Redo'} ${say('issuedBy')}’s refused command (${commandWords(word('commandName', ''))})`;
    default:
      // Every command has its words (shared/commands/command-words.ts): never the command's name, which means nothing
      // to the operator reading the inbox.
      return sentence(commandWords(name));
  }
}

/** "share an incident" → "Share an incident". */
function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The other side of a conflict: what the record the command lost on is now, in words (who did it, where the record
 * says so), never its version number, which means nothing to the operator.
 */
export function describeTheirs(conflict: ConflictView, lookup: Lookup): string {
  const theirs = conflict.theirs as Record<string, unknown> | null;
  // Null when the server has no such record, or when it is another force's that this force no longer sees (a share
  // revoked, a loan ended: shared/domain/partition.ts conflictAsHeld), which the words must not tell apart.
  // Its arguments cleared as well: a record it named was erased, and the force held it (the server clears them only
  // then, server/storage/storage.ts heldErasure), so why it lost already says so; what happened must agree.
  if (!theirs && conflict.args === null) return `the ${recordKindWords(conflict.target.kind)} was erased: nothing of it is kept`;
  if (!theirs) return `the ${recordKindWords(conflict.target.kind)} is not on the server, or no longer shown to this force`;
  if (conflict.target.kind === 'unit') {
    const commitment = theirs.commitment as { incidentId: string } | null;
    const loan = theirs.loan as { to: string; incidentId: string } | null | undefined;
    // Lent: to which force and for which incident, as far as this force knows it (its loan's summary), not "committed
    // to another incident", which is the borrower's and which this force does not hold.
    if (loan) {
      const deployed = commitment?.incidentId === loan.incidentId ? ', deployed there' : '';
      return `${String(theirs.callSign)} is lent to ${loan.to} for ${nameIncident(loan.incidentId, lookup) ?? `one of ${loan.to}'s incidents`}${deployed}`;
    }
    const on = commitment ? `committed to ${describeIncident(commitment.incidentId, lookup)}` : String(theirs.duty).replace('_', ' ');
    return `${String(theirs.callSign)} is ${on}`;
  }
  if (conflict.target.kind === 'incident') {
    const owner = theirs.owner ? `, owned by ${String(theirs.owner)}` : '';
    // Another force's incident as its share shows it (shared/domain/share-cut.ts): no closing code or closer, which
    // the share withholds, but its reference, common priority and the owner's name for its type.
    const shared = theirs.sharedView as { commonPriority: CommonPriority | null; typeName: string | null } | undefined;
    const closedAs = theirs.closingCode ? ` as ${String(theirs.closingCode)}` : '';
    const closedBy = theirs.closedBy ? ` by ${String(theirs.closedBy)}` : '';
    const closed = theirs.status === 'closed' ? `${closedAs}${closedBy}` : '';
    const held = lookup.incidents[String(theirs.id)];
    const which = held && displayReference(held) ? displayReference(held) : typeof theirs.reference === 'string' && theirs.reference ? theirs.reference : 'another incident';
    const what = shared ? ` (${[theirs.force ? `${String(theirs.force)}'s` : null, shared.commonPriority ? describeCommonPriority(shared.commonPriority) : null, shared.typeName].filter(Boolean).join(' ')})` : '';
    return `${which}${what} is ${String(theirs.status)}${closed}${owner}`;
  }
  if (conflict.target.kind === 'task') {
    const claim = theirs.claim as { by: string } | null | undefined;
    const state = theirs.state === 'done' ? `done by ${String(theirs.doneBy)}` : claim ? `claimed by ${claim.by}` : 'open';
    return `The call-back to ${theirs.callerNumber ? String(theirs.callerNumber) : 'a withheld number'} is ${state}`;
  }
  if (conflict.target.kind === 'refusal') {
    const words: Record<string, string> = { redone: 'redone', dismissed: 'dismissed', resent: 'sent again' };
    const why = theirs.handledReason ? `: ${String(theirs.handledReason)}` : '';
    return `The refused command was already ${words[String(theirs.action)] ?? 'handled'} by ${String(theirs.handledBy)}${why}`;
  }
  if (conflict.target.kind === 'loan') {
    const lent = theirs.callSign ? `, ${String(theirs.callSign)} lent` : '';
    const by = theirs.answeredBy ? ` by ${String(theirs.answeredBy)}` : '';
    return `The request from ${String(theirs.force)} is ${String(theirs.status)}${by}${lent}`;
  }
  if (conflict.target.kind === 'transfer') {
    const summary = theirs.incident as { reference?: string } | undefined;
    const by = theirs.answeredBy ? ` by ${String(theirs.answeredBy)}` : '';
    return `The offer of ${summary?.reference ?? 'an incident'} from ${String(theirs.force)} is ${String(theirs.status)}${by}`;
  }
  if (conflict.target.kind === 'arrangement') {
    // A type's name may be "Firearms incident" already: not "Firearms incident incidents".
    const typeName = String(theirs.typeName);
    const ofType = /\bincidents$/i.test(typeName) ? typeName : /\bincident$/i.test(typeName) ? `${typeName}s` : `${typeName} incidents`;
    return `The arrangement for ${String(theirs.force)}'s ${ofType} with ${String(theirs.sharedWith)} is ${String(theirs.status)}`;
  }
  if (conflict.target.kind === 'assignment') return `${String(theirs.unitId)} is ${statusWords[String(theirs.status)] ?? String(theirs.status)}`;
  if (conflict.target.kind === 'contact') {
    const from = theirs.callerNumber ? String(theirs.callerNumber) : 'a withheld number';
    const answered = theirs.answeredBy ? `, answered by ${String(theirs.answeredBy)}${theirs.answeredAtWorkstation ? ` at ${String(theirs.answeredAtWorkstation)}` : ''}` : '';
    return `The call from ${from} is ${CONTACT_STATE_WORDS[String(theirs.state)] ?? String(theirs.state)}${answered}`;
  }
  if (conflict.target.kind === 'operator') {
    const roles = Array.isArray(theirs.roles) ? theirs.roles.map((role) => roleNames[String(role) as Role] ?? String(role)).join(', ') : '';
    return `The account ${String(theirs.id)} is there already${theirs.active === false ? ', deactivated' : ''}${roles ? ` (${roles})` : ''}`;
  }
  // Never the record's document as data: what it is, in words, and that it changed.
  return `the ${recordKindWords(conflict.target.kind)} changed since`;
}

const CONTACT_STATE_WORDS: Record<string, string> = { ringing: 'ringing', answered: 'being answered', abandoned: 'abandoned', silent: 'a silent call', completed: 'dealt with' };

function describeIncident(id: string, lookup: Lookup): string {
  return nameIncident(id, lookup) ?? 'another incident';
}
