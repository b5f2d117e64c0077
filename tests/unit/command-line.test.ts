import { describe, expect, it } from 'vitest';
import { complete, inlineHelp, parseCommandLine } from '../../shared/command-line/grammar';
import { demoConfig } from '../fakes/fixtures';

const context = {
  grades: demoConfig.grades,
  closingCodes: demoConfig.closingCodes,
  incidentTypes: demoConfig.incidentTypes,
  units: [
    { callSign: 'DM-11', available: true, bookedOn: true },
    { callSign: 'DM-12', available: false, bookedOn: true },
    { callSign: 'DM-13', available: false, bookedOn: false },
  ],
  references: ['DMO-20261129-0001', 'DMO-20261129-0002', 'WS1-P0003'],
};

describe('the command line', () => {
  it('reads verbs and their arguments, short or long, in any case', () => {
    expect(parseCommandLine('log Unit 12 on scene', context)).toEqual({ ok: true, intent: { verb: 'log', text: 'Unit 12 on scene' } });
    expect(parseCommandLine('L  caller rang back', context)).toEqual({ ok: true, intent: { verb: 'log', text: 'caller rang back' } });
    expect(parseCommandLine('gr 3 caller says it is over', context)).toEqual({ ok: true, intent: { verb: 'grade', grade: '3', reason: 'caller says it is over' } });
    expect(parseCommandLine('close advice', context)).toEqual({ ok: true, intent: { verb: 'close', closingCode: 'ADVICE' } });
    expect(parseCommandLine('att dmo-20261129-0001', context)).toEqual({ ok: true, intent: { verb: 'attach', reference: 'DMO-20261129-0001' } });
    expect(parseCommandLine('as dm-11', context)).toEqual({ ok: true, intent: { verb: 'assign', callSign: 'DM-11', reserveAt: null } });
    expect(parseCommandLine('as dm-11 15:30', context)).toEqual({ ok: true, intent: { verb: 'assign', callSign: 'DM-11', reserveAt: '15:30' } });
    // Which of a repeated hour (the October change): the zone's abbreviation or the offset, as the desk shows it.
    expect(parseCommandLine('as dm-11 01:30 gmt', context)).toEqual({ ok: true, intent: { verb: 'assign', callSign: 'DM-11', reserveAt: '01:30 GMT' } });
    expect(parseCommandLine('as dm-11 01:30 +01:00', context)).toEqual({ ok: true, intent: { verb: 'assign', callSign: 'DM-11', reserveAt: '01:30 +01:00' } });
    expect(parseCommandLine('NEW', context)).toEqual({ ok: true, intent: { verb: 'new' } });
    expect(parseCommandLine('rec online', context)).toEqual({ ok: true, intent: { verb: 'record', source: 'online', callerNumber: null } });
    expect(parseCommandLine('REC agency 01632 960000', context)).toEqual({ ok: true, intent: { verb: 'record', source: 'agency', callerNumber: '01632 960000' } });
  });

  it('says what is wrong rather than guessing', () => {
    expect(parseCommandLine('', context)).toEqual({ ok: false, message: 'type a command; HELP lists them' });
    expect(parseCommandLine('delete everything', context)).toEqual({ ok: false, message: '"delete" is not a command; HELP lists them' });
    expect(parseCommandLine('gr 7', context)).toEqual({ ok: false, message: 'there is no grade "7" (grades: 1, 2, 3, 4)' });
    expect(parseCommandLine('close whenever', context)).toEqual({ ok: false, message: 'there is no closing code "WHENEVER"' });
    expect(parseCommandLine('log   ', context)).toEqual({ ok: false, message: 'LOG needs the text to write' });
    expect(parseCommandLine('rec 999', context)).toEqual({ ok: false, message: 'REC needs where the contact came from: ONLINE, ALARM or AGENCY' });
    expect(parseCommandLine('as XY-99', context)).toEqual({ ok: false, message: 'there is no unit "XY-99"' });
    expect(parseCommandLine('as DM-11 3pm', context)).toEqual({ ok: false, message: '"3pm" is not a time: use hh:mm, e.g. 15:30 (where an hour repeats, add the zone or its offset, e.g. 01:30 GMT)' });
    expect(parseCommandLine('as DM-11 25:00', context)).toMatchObject({ ok: false, message: expect.stringMatching(/^"25:00" is not a time/) });
  });

  it('says, of a call sign it does not know before the server has brought the workstation up to date, that the unit may not have reached it', () => {
    // A workstation's first seconds after it starts (or the server out of reach since): its units may not be here yet.
    const receiving = { ...context, units: [], receiving: true };
    const notYet = 'there is no unit "DM-11" on this workstation: the server has not brought it up to date since it started, so the unit may not have reached it yet';
    for (const line of ['as DM-11', 'bookon DM-11', 'bookoff DM-11']) expect(parseCommandLine(line, receiving)).toEqual({ ok: false, message: notYet });
    // Brought up to date, an unknown call sign is simply unknown.
    expect(parseCommandLine('bookoff XY-1', { ...context, receiving: false })).toEqual({ ok: false, message: 'there is no unit "XY-1"' });
  });

  it('completes verbs, then their arguments from what exists now', () => {
    expect(complete('c', context).map((c) => c.label)).toEqual(['CLOSE code']);
    expect(complete('gr ', context).map((c) => c.line)).toEqual(['GR 1 ', 'GR 2 ', 'GR 3 ', 'GR 4 ']);
    expect(complete('as dm', context).map((c) => c.label)).toEqual(['DM-11']);
    expect(complete('link dmo-20261129-000', context).map((c) => c.label)).toEqual(['DMO-20261129-0001', 'DMO-20261129-0002']);
    expect(complete('log something', context)).toEqual([]);
  });

  it('books units on and off: with an end time on the force’s clock where given, completing only units that can be', () => {
    expect(parseCommandLine('bookon dm-13', context)).toEqual({ ok: true, intent: { verb: 'bookOn', callSign: 'DM-13', until: null } });
    expect(parseCommandLine('BON DM-13 21:00', context)).toEqual({ ok: true, intent: { verb: 'bookOn', callSign: 'DM-13', until: '21:00' } });
    expect(parseCommandLine('bookon dm-13 01:30 bst', context)).toEqual({ ok: true, intent: { verb: 'bookOn', callSign: 'DM-13', until: '01:30 BST' } });
    expect(parseCommandLine('bookoff DM-12', context)).toEqual({ ok: true, intent: { verb: 'bookOff', callSign: 'DM-12' } });
    expect(parseCommandLine('bookon', context)).toEqual({ ok: false, message: 'BOOKON needs a call sign' });
    expect(parseCommandLine('bookon XY-1', context)).toEqual({ ok: false, message: 'there is no unit "XY-1"' });
    expect(parseCommandLine('bookon DM-13 9pm', context)).toMatchObject({ ok: false, message: expect.stringMatching(/^"9pm" is not a time/) });
    expect(complete('bookon ', context).map((c) => c.label)).toEqual(['DM-13']);
    expect(complete('bookoff ', context).map((c) => [c.label, c.note])).toEqual([
      ['DM-11', 'available'],
      ['DM-12', 'on duty'],
    ]);
    expect(inlineHelp('bookon')).toMatch(/^BOOKON callsign \[hh:mm\]: book a unit on duty until its shift's end/);
  });

  it('reopens with the reason, and changes the type with its code and an optional reason', () => {
    expect(parseCommandLine('reopen Caller rang back: he has returned', context)).toEqual({ ok: true, intent: { verb: 'reopen', reason: 'Caller rang back: he has returned' } });
    expect(parseCommandLine('REOPEN  ', context)).toEqual({ ok: false, message: 'REOPEN needs the reason, e.g. REOPEN caller rang back, suspect has returned' });
    expect(parseCommandLine('type burglary entry was forced', context)).toEqual({ ok: true, intent: { verb: 'type', type: 'BURGLARY', reason: 'entry was forced' } });
    expect(parseCommandLine('ty domestic', context)).toEqual({ ok: true, intent: { verb: 'type', type: 'DOMESTIC', reason: '' } });
    expect(parseCommandLine('type parking', context)).toEqual({ ok: false, message: 'there is no incident type "PARKING"' });
    expect(parseCommandLine('type', context)).toMatchObject({ ok: false, message: expect.stringMatching(/^TYPE needs an incident type: ASB, ALARM, /) });
    expect(complete('type b', context).map((c) => [c.line, c.note])).toEqual([['TYPE BURGLARY ', 'Burglary']]);
    expect(complete('reo', context).map((c) => c.label)).toEqual(['REOPEN reason']);
    expect(inlineHelp('reopen')).toMatch(/^REOPEN reason: open the closed incident again, saying why/);
  });

  it('explains the verb being typed', () => {
    expect(inlineHelp('gr')).toBe('GR grade [reason]: change the grade (a downgrade needs a reason and a supervisor)');
    expect(inlineHelp('')).toContain('NEW');
  });
});
