/**
 * What each command does, in the words an operator would use, for the messages they read: "dan may not write in an
 * incident's log", where the command's name ("incident.addLog") meant nothing to them. Every command of the
 * registry has its words (a unit test checks); a name not here is shown as it is.
 */
const WORDS: Record<string, string> = {
  'incident.create': 'create an incident',
  'incident.addLog': 'write in an incident’s log',
  'incident.update': 'correct an incident’s location, description or caller',
  'incident.close': 'close an incident',
  'incident.reopen': 'reopen an incident',
  'incident.changeType': 'change an incident’s type',
  'incident.takeOwnership': 'take charge of an incident',
  'incident.regrade': 'change an incident’s grade',
  'incident.decideDowngrade': 'decide a downgrade',
  'incident.assessRisk': 'record a risk assessment',
  'incident.link': 'link incidents',
  'incident.unlink': 'unlink incidents',
  'unit.register': 'bring a unit into service',
  'loan.request': 'ask another force for a unit',
  'loan.accept': 'lend a unit to another force',
  'loan.decline': 'decline another force’s request for a unit',
  'loan.withdraw': 'withdraw a request for a unit',
  'loan.return': 'return a lent unit',
  'loan.takeBack': 'take a lent unit back',
  'unit.assign': 'deploy or reserve a unit',
  'unit.setDuty': 'book a unit on or off duty',
  'unit.shiftEnded': 'raise a shift’s end',
  'unit.answerShiftEnd': 'relieve a unit or extend its shift',
  'assignment.setStatus': 'change a deployed unit’s status',
  'assignment.record': 'enter a deployment kept on paper',
  'assignment.receipt': 'record what a unit’s terminal said of a deployment',
  'assignment.receiptOverdue': 'raise an unconfirmed deployment',
  'incident.handoffOverdue': 'log an incident left untaken in its queue',
  'assignment.confirmByRadio': 'confirm a deployment by radio',
  'assignment.answerLateRejection': 'answer a late rejection',
  'assignment.reservationDue': 'raise a reservation that is due',
  'conflict.resolve': 'resolve a conflict',
  'operator.register': 'register an operator',
  'operator.add': 'add an operator',
  'operator.setRoles': 'change an operator’s roles',
  'operator.setActive': 'deactivate or reactivate an account',
  'operator.signedIn': 'record a sign-in',
  'operator.signedOut': 'record a sign-out',
  'operator.signInRefused': 'record a refused sign-in',
  'record.consulted': 'record what they looked at',
  'moment.recorded': 'record what their desk proposed or what they chose',
  'contact.receive': 'receive a call',
  'contact.answer': 'answer a call',
  'contact.locate': 'locate a call',
  'contact.end': 'end a call',
  'contact.attach': 'attach a call to an incident',
  'contact.answerOnPaper': 'enter a call answered on paper',
  'task.claim': 'claim a call-back',
  'task.attempt': 'record a call-back attempt',
  'task.complete': 'close a call-back',
  'marker.add': 'add a warning marker',
  'marker.remove': 'remove a warning marker',
  'refusal.handle': 'redo or dismiss a refused command',
  'share.create': 'share an incident with another force',
  'share.revoke': 'revoke a share of an incident',
  'arrangement.propose': 'propose a standing sharing arrangement',
  'arrangement.approve': 'approve a standing sharing arrangement',
  'arrangement.withdraw': 'withdraw a standing sharing arrangement',
  'transfer.offer': 'offer an incident to another force',
  'transfer.accept': 'accept an incident offered by another force',
  'transfer.decline': 'decline an incident offered by another force',
  'transfer.withdraw': 'withdraw an offer of an incident',
};

/** The command's name in words ("write in an incident’s log"); its own name if it has none. */
export function commandWords(name: string): string {
  return WORDS[name] ?? name;
}

/** The command names that have words, for the test that every command has them. */
export const namesWithWords: readonly string[] = Object.keys(WORDS);
