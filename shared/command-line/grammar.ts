import { readTypedTime } from '../domain/wall-clock';

/**
 * The command line, as classic control-room systems have it: a verb and its arguments, typed fast, completed and
 * explained as you type. Pure: it parses text into an intent and proposes completions; the console carries the
 * intent out against the incident shown beside the line.
 */

export interface CommandLineContext {
  grades: readonly { code: string; name: string }[];
  closingCodes: readonly { code: string; name: string }[];
  incidentTypes: readonly { code: string; name: string }[];
  /** Each unit: whether it could be deployed now, and whether it is booked on (on duty or unavailable). */
  units: readonly { callSign: string; available: boolean; bookedOn: boolean }[];
  /** References (force and provisional) of the open incidents, for LINK, ATT and FIND. */
  references: readonly string[];
  /**
   * The workstation has not yet been brought up to date by the server since it started (its first exchange under way,
   * or the server out of reach since): a call sign it does not know may be a unit it has not yet received, and the
   * refusal says so rather than that there is no such unit.
   */
  receiving?: boolean;
}

/** The refusal for a call sign the desk does not know; before the server has brought it up to date, why it may not. */
function noUnit(callSign: string, c: CommandLineContext): string {
  return c.receiving
    ? `there is no unit "${callSign}" on this workstation: the server has not brought it up to date since it started, so the unit may not have reached it yet`
    : `there is no unit "${callSign}"`;
}

export type Intent =
  | { verb: 'new' }
  | { verb: 'log'; text: string }
  | { verb: 'grade'; grade: string; reason: string }
  | { verb: 'close'; closingCode: string }
  | { verb: 'reopen'; reason: string }
  | { verb: 'take' }
  | { verb: 'type'; type: string; reason: string }
  | { verb: 'link'; reference: string }
  | { verb: 'unlink'; reference: string }
  | { verb: 'attach'; reference: string }
  | { verb: 'assign'; callSign: string; reserveAt: string | null }
  | { verb: 'bookOn'; callSign: string; until: string | null }
  | { verb: 'bookOff'; callSign: string }
  | { verb: 'find'; reference: string }
  | { verb: 'answer' }
  | { verb: 'record'; source: RecordedSource; callerNumber: string | null }
  | { verb: 'help'; topic: string | null };

/** Contacts that do not ring on a line: typed in by the handler from a web form, an alarm receiving centre, a partner. */
export const RECORDED_SOURCES = { ONLINE: 'online', ALARM: 'alarm', AGENCY: 'agency' } as const;
export type RecordedSource = (typeof RECORDED_SOURCES)[keyof typeof RECORDED_SOURCES];
const recordedSourceNotes: Record<keyof typeof RECORDED_SOURCES, string> = { ONLINE: 'online report', ALARM: 'alarm company', AGENCY: 'other agency' };

interface Verb {
  names: readonly string[];
  usage: string;
  help: string;
  /** What the arguments are, in order, for completion. */
  argument?: (context: CommandLineContext) => readonly { value: string; note: string }[];
  parse(rest: string, context: CommandLineContext): Intent | string;
}

const word = (text: string) => text.trim().split(/\s+/)[0] ?? '';
const afterWord = (text: string) => text.trim().replace(/^\S+\s*/, '');

export const VERBS: readonly Verb[] = [
  { names: ['NEW', 'N'], usage: 'NEW', help: 'start a new incident', parse: () => ({ verb: 'new' }) },
  { names: ['ANS', 'ANSWER'], usage: 'ANS', help: 'answer the next call in the queue (999 first)', parse: () => ({ verb: 'answer' }) },
  {
    names: ['REC', 'RECORD'],
    usage: 'REC online|alarm|agency [number]',
    help: 'take a contact that did not come by phone (an online report, an alarm company, another agency)',
    argument: () => Object.entries(recordedSourceNotes).map(([value, note]) => ({ value, note })),
    parse: (rest) => {
      const name = word(rest).toUpperCase() as keyof typeof RECORDED_SOURCES;
      if (!(name in RECORDED_SOURCES)) return 'REC needs where the contact came from: ONLINE, ALARM or AGENCY';
      return { verb: 'record', source: RECORDED_SOURCES[name], callerNumber: afterWord(rest) || null };
    },
  },
  {
    names: ['LOG', 'L'],
    usage: 'LOG text',
    help: 'write a line in the log of the incident shown beside the line',
    parse: (rest) => (rest.trim() ? { verb: 'log', text: rest.trim() } : 'LOG needs the text to write'),
  },
  {
    names: ['GR', 'GRADE'],
    usage: 'GR grade [reason]',
    help: 'change the grade (a downgrade needs a reason and a supervisor)',
    argument: (c) => c.grades.map((g) => ({ value: g.code, note: g.name })),
    parse: (rest, c) => {
      const grade = word(rest);
      if (!grade) return `GR needs a grade: ${c.grades.map((g) => g.code).join(', ')}`;
      if (!c.grades.some((g) => g.code === grade)) return `there is no grade "${grade}" (grades: ${c.grades.map((g) => g.code).join(', ')})`;
      return { verb: 'grade', grade, reason: afterWord(rest) };
    },
  },
  {
    names: ['CLOSE', 'CL'],
    usage: 'CLOSE code',
    help: 'close the incident with a closing code',
    argument: (c) => c.closingCodes.map((k) => ({ value: k.code, note: k.name })),
    parse: (rest, c) => {
      const code = word(rest).toUpperCase();
      if (!code) return `CLOSE needs a closing code: ${c.closingCodes.map((k) => k.code).join(', ')}`;
      if (!c.closingCodes.some((k) => k.code === code)) return `there is no closing code "${code}"`;
      return { verb: 'close', closingCode: code };
    },
  },
  {
    names: ['REOPEN'],
    usage: 'REOPEN reason',
    help: 'open the closed incident again, saying why (a caller rang back, new information); its attendance clock starts again',
    parse: (rest) => (rest.trim() ? { verb: 'reopen', reason: rest.trim() } : 'REOPEN needs the reason, e.g. REOPEN caller rang back, suspect has returned'),
  },
  {
    names: ['TAKE', 'TK'],
    usage: 'TAKE',
    help: 'take the incident from its queue: you own it, and its untaken alert ends at every desk',
    parse: () => ({ verb: 'take' }),
  },
  {
    names: ['TYPE', 'TY'],
    usage: 'TYPE code [reason]',
    help: 'change the incident type (it keeps the type it opened as); the risk assessment is due again',
    argument: (c) => c.incidentTypes.map((t) => ({ value: t.code, note: t.name })),
    parse: (rest, c) => {
      const code = word(rest).toUpperCase();
      if (!code) return `TYPE needs an incident type: ${c.incidentTypes.map((t) => t.code).join(', ')}`;
      if (!c.incidentTypes.some((t) => t.code === code)) return `there is no incident type "${code}"`;
      return { verb: 'type', type: code, reason: afterWord(rest) };
    },
  },
  ...(['LINK', 'UNLINK', 'ATT'] as const).map(
    (name): Verb => ({
      names: name === 'ATT' ? ['ATT', 'ATTACH'] : [name],
      usage: `${name} reference`,
      help: { LINK: 'link the incident to another as related', UNLINK: 'undo a link', ATT: 'attach the call being taken to an existing incident' }[name],
      argument: (c) => c.references.map((r) => ({ value: r, note: '' })),
      parse: (rest) => {
        const reference = word(rest).toUpperCase();
        if (!reference) return `${name} needs an incident reference`;
        return { verb: name === 'ATT' ? 'attach' : name === 'LINK' ? 'link' : 'unlink', reference };
      },
    }),
  ),
  {
    names: ['AS', 'ASSIGN'],
    usage: 'AS callsign [hh:mm]',
    help: 'deploy a unit to the incident, or with a time (the force\'s clock; where an hour repeats, add BST or GMT), reserve it for a scheduled appointment then',
    argument: (c) => c.units.filter((u) => u.available).map((u) => ({ value: u.callSign, note: 'available' })),
    parse: (rest, c) => {
      const callSign = word(rest).toUpperCase();
      if (!callSign) return 'AS needs a call sign';
      if (!c.units.some((u) => u.callSign === callSign)) return noUnit(callSign, c);
      const time = afterWord(rest);
      if (!time) return { verb: 'assign', callSign, reserveAt: null };
      // Only the form here: whether that time exists, and when it next comes, is the core's to say (its clock, the
      // force's zone).
      const typed = readTypedTime(time);
      if (typeof typed === 'string') return typed;
      return { verb: 'assign', callSign, reserveAt: `${time.trim().slice(0, 5)}${typed.mark ? ` ${typed.mark}` : ''}` };
    },
  },
  {
    names: ['BOOKON', 'BON'],
    usage: 'BOOKON callsign [hh:mm]',
    help: "book a unit on duty until its shift's end, or (outside its shift, or to end sooner) until the time given on the force's clock",
    argument: (c) => c.units.filter((u) => !u.bookedOn).map((u) => ({ value: u.callSign, note: 'off duty' })),
    parse: (rest, c) => {
      const callSign = word(rest).toUpperCase();
      if (!callSign) return 'BOOKON needs a call sign';
      if (!c.units.some((u) => u.callSign === callSign)) return noUnit(callSign, c);
      const time = afterWord(rest);
      if (!time) return { verb: 'bookOn', callSign, until: null };
      const typed = readTypedTime(time);
      if (typeof typed === 'string') return typed;
      return { verb: 'bookOn', callSign, until: `${time.trim().slice(0, 5)}${typed.mark ? ` ${typed.mark}` : ''}` };
    },
  },
  {
    names: ['BOOKOFF', 'BOFF'],
    usage: 'BOOKOFF callsign',
    help: 'book a unit off duty (one committed to an incident is cleared from it first)',
    argument: (c) => c.units.filter((u) => u.bookedOn).map((u) => ({ value: u.callSign, note: u.available ? 'available' : 'on duty' })),
    parse: (rest, c) => {
      const callSign = word(rest).toUpperCase();
      if (!callSign) return 'BOOKOFF needs a call sign';
      if (!c.units.some((u) => u.callSign === callSign)) return noUnit(callSign, c);
      return { verb: 'bookOff', callSign };
    },
  },
  {
    names: ['FIND', 'F'],
    usage: 'FIND reference',
    help: 'find an incident by its force or provisional reference',
    argument: (c) => c.references.map((r) => ({ value: r, note: '' })),
    parse: (rest) => (word(rest) ? { verb: 'find', reference: word(rest).toUpperCase() } : 'FIND needs a reference'),
  },
  {
    names: ['HELP', '?'],
    usage: 'HELP [verb]',
    help: 'list the commands, or explain one',
    parse: (rest) => ({ verb: 'help', topic: word(rest).toUpperCase() || null }),
  },
];

function verbNamed(name: string): Verb | undefined {
  const upper = name.toUpperCase();
  return VERBS.find((v) => v.names.includes(upper));
}

/** Parses a line into an intent, or a message saying what is wrong with it. */
export function parseCommandLine(line: string, context: CommandLineContext): { ok: true; intent: Intent } | { ok: false; message: string } {
  const trimmed = line.trim();
  if (!trimmed) return { ok: false, message: 'type a command; HELP lists them' };
  const verb = verbNamed(word(trimmed));
  if (!verb) return { ok: false, message: `"${word(trimmed)}" is not a command; HELP lists them` };
  const result = verb.parse(afterWord(trimmed), context);
  return typeof result === 'string' ? { ok: false, message: result } : { ok: true, intent: result };
}

export interface Completion {
  /** The whole line if this completion is taken. */
  line: string;
  label: string;
  note: string;
}

/** What the line could become: verbs while the first word is typed, then values for the verb's argument. */
export function complete(line: string, context: CommandLineContext): Completion[] {
  const hasSpace = /\s/.test(line.trimStart());
  if (!hasSpace) {
    const prefix = line.trim().toUpperCase();
    return VERBS.filter((v) => v.names.some((n) => n.startsWith(prefix))).map((v) => ({ line: `${v.names[0]} `, label: v.usage, note: v.help }));
  }
  const verb = verbNamed(word(line));
  if (!verb?.argument) return [];
  const typed = afterWord(line).toUpperCase();
  if (/\s/.test(typed)) return [];
  return verb
    .argument(context)
    .filter((a) => a.value.toUpperCase().startsWith(typed))
    .slice(0, 12)
    .map((a) => ({ line: `${verb.names[0]} ${a.value} `, label: a.value, note: a.note }));
}

/** The help line for what is being typed: the verb's usage and purpose, or the list of verbs. */
export function inlineHelp(line: string): string {
  const verb = verbNamed(word(line));
  if (verb) return `${verb.usage}: ${verb.help}`;
  return VERBS.map((v) => v.names[0]).join('  ');
}
