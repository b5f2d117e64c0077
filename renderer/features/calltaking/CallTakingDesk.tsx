import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useSelectedIncident } from '../../state/use-selected-incident';
import type { ContactView } from '../../../shared/contract/views';
import { answeredHere, compareForQueue } from '../../../shared/domain/contact';
import { displayReference } from '../../../shared/domain/incident';
import { decideLocation, fromHandset } from '../../../shared/domain/location-choice';
import { useHotkeys } from '../../keyboard/use-hotkeys';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { focusById } from '../../app/focus';
import { PanelBoundary } from '../../app/PanelBoundary';
import { ShortcutLegend } from '../../app/ShortcutLegend';
import { useAction } from '../../app/use-action';
import { CommandLine } from '../command-line/CommandLine';
import { findByReference, useIntents } from '../command-line/use-intents';
import { CallDraft, draftKey, emptyDraft } from './call-draft';
import { CALL_LOCATION_ID, CallForm } from './CallForm';
import { ContactQueue, QUEUE_ID } from './ContactQueue';
import { DuplicateProposals, type Proposals } from './DuplicateProposals';
import { HistoryPanel } from './HistoryPanel';
import { CallBacks } from './CallBacks';

/**
 * The call-taking desk: the queue, the call being taken, and beside it what is known of the place and the caller
 * and what it may duplicate. From a ringing 999 line to a graded, risk-assessed incident without the mouse.
 */
/** How long a grade must stand on the form before it counts as chosen (type-ahead passes others on its way). */
const GRADE_SETTLE_MS = 700;

export function CallTakingDesk({ dialogOpen }: { dialogOpen: boolean }) {
  const api = useApi();
  const contacts = useConsole((s) => s.contacts);
  const incidents = useConsole((s) => s.incidents);
  const config = useConsole((s) => s.config);
  const session = useConsole((s) => s.session);
  const select = useConsole((s) => s.select);
  const announce = useConsole((s) => s.announce);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [draft, setDraft] = useState<CallDraft | null>(null);
  const [proposals, setProposals] = useState<Proposals>([]);
  /** When the form was last kept on this workstation's disk (what a crash would bring back); 'typing' while newer keys wait. */
  const [keptAt, setKeptAt] = useState<string | 'typing' | null>(null);
  const action = useAction();
  const saving = useRef<ReturnType<typeof setTimeout> | null>(null);
  const active = activeId ? (contacts[activeId] ?? null) : null;
  const me = session?.operator?.id;

  /** The draft as last changed: newer than any render's copy, and newer than the disk's while keys wait to be kept. */
  const current = useRef<CallDraft | null>(null);
  const takeUps = useRef(0);
  /**
   * A call just put on the form: the keyboard goes to its location as the form is drawn, before the next key can
   * land anywhere else (however long a loaded desk takes to draw it).
   */
  const locateOnShow = useRef(false);
  useLayoutEffect(() => {
    if (!locateOnShow.current || !draft) return;
    locateOnShow.current = false;
    document.getElementById(CALL_LOCATION_ID)?.focus();
  });

  /**
   * Takes up a call (or none): its draft comes back from disk if there is one, so a crash loses nothing. A call
   * already on the form keeps the form as it is: the disk is behind it while keys wait to be kept, and two ways of
   * taking up one call (the answer's reply, and the answered call arriving first) race on a loaded desk; the loser
   * must not put back an older draft, nor throw the keyboard back to the location box mid-word. `explicit`: the
   * handler chose this call (the queue, NEW), so the keyboard goes to its location whether or not it was on the form.
   * Of two takings-up in flight, the later one asked is the one that counts.
   */
  const takeUp = useCallback(
    async (contact: ContactView | null, explicit = false) => {
      const contactId = contact?.id ?? null;
      const asked = ++takeUps.current;
      const onForm = () => current.current !== null && current.current.contactId === contactId;
      if (!onForm()) {
        const { data, savedAt } = await api.call('drafts.get', { key: draftKey(contactId) });
        if (asked !== takeUps.current) return;
        if (!onForm()) {
          const restored = CallDraft.safeParse(data);
          current.current = restored.success ? restored.data : emptyDraft(contactId, contact?.callerNumber ?? null);
          setActiveId(contactId);
          setDraft(current.current);
          setKeptAt(restored.success ? savedAt : null);
          locateOnShow.current = true;
          return;
        }
      }
      setActiveId(contactId);
      if (explicit) focusById(CALL_LOCATION_ID);
    },
    [api],
  );

  // A call this operator answered here and is not taking is taken up as soon as the desk is free: after a restart
  // (the call they were taking), and when they answered a 999 call from another window (Shift+F2). Here is where it
  // was answered, not where it was offered (an exercise's calls are all offered at the trainer's workstation, and a
  // live call may be answered at another position than the one it rang at). A call this desk has finished with is
  // never taken up again, even while its end is on its way.
  const takingUp = useRef(false);
  const finished = useRef(new Set<string>());
  useEffect(() => {
    if (takingUp.current || draft) return;
    const mine = Object.values(contacts)
      .filter((c) => c.state === 'answered' && answeredHere(c, me, session?.workstation) && !finished.current.has(c.id))
      .sort((a, b) => (a.answeredAt ?? '').localeCompare(b.answeredAt ?? ''))[0];
    if (!mine) return;
    takingUp.current = true;
    // Its draft is read from the core first; the form shows when it answers.
    queueMicrotask(() => void takeUp(mine).finally(() => (takingUp.current = false)));
  }, [contacts, me, session, draft, takeUp]);

  /**
   * A place chosen for the call, or a grade (chosen, or the type's default taken with the type), is a moment the
   * review puts on its timeline when it happened (the core records it once per choice). A grade is sent once it has
   * stood GRADE_SETTLE_MS, or at once when the call is saved: typing ahead in the type or grade list passes over
   * other options on its way, which are not the handler's choice. It never holds up the form: a call the core no
   * longer holds has nothing to record it on.
   */
  const pendingGrade = useRef<{ contactId: string; grade: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const sendGrade = () => {
    const pending = pendingGrade.current;
    if (!pending) return;
    clearTimeout(pending.timer);
    pendingGrade.current = null;
    void api.call('contacts.progress', { what: 'graded', contactId: pending.contactId, grade: pending.grade }).catch(() => undefined);
  };
  const recordProgress = (contactId: string, before: CallDraft, patch: Partial<CallDraft>) => {
    if (patch.locationChosen) void api.call('contacts.progress', { what: 'located', contactId, location: patch.locationChosen }).catch(() => undefined);
    if (patch.grade && patch.grade !== before.grade) {
      if (pendingGrade.current) clearTimeout(pendingGrade.current.timer);
      pendingGrade.current = { contactId, grade: patch.grade, timer: setTimeout(sendGrade, GRADE_SETTLE_MS) };
    }
  };

  /**
   * One edit of the form: a patch, or a function of the draft as it stands (for a field that depends on another, so
   * a patch made from an older render's draft cannot undo a newer key). Kept on disk after a pause in typing.
   */
  const change = (edit: Partial<CallDraft> | ((draft: CallDraft) => Partial<CallDraft>)) => {
    const before = current.current;
    if (!before) return;
    const patch = typeof edit === 'function' ? edit(before) : edit;
    if (before.contactId) recordProgress(before.contactId, before, patch);
    const next = { ...before, ...patch };
    current.current = next;
    setDraft(next);
    setKeptAt('typing');
    if (saving.current) clearTimeout(saving.current);
    saving.current = setTimeout(() => {
      saving.current = null;
      void api.call('drafts.save', { key: draftKey(next.contactId), data: next }).then(({ savedAt }) => {
        // Only the latest keystrokes count as kept: a save overtaken by more typing says nothing yet.
        if (!saving.current) setKeptAt(savedAt);
      });
    }, 250);
  };

  const finish = async (message: string) => {
    if (saving.current) clearTimeout(saving.current);
    if (draft?.contactId) finished.current.add(draft.contactId);
    await api.call('drafts.clear', { key: draftKey(draft?.contactId ?? null) });
    current.current = null;
    setDraft(null);
    setActiveId(null);
    setProposals([]);
    announce(message);
    focusById(QUEUE_ID);
  };

  const location = draft ? decideLocation({ chosen: draft.locationChosen, typed: draft.locationTyped, handset: active?.handsetLocation ?? null }).location : null;
  const lat = location?.point?.lat;
  const lon = location?.point?.lon;
  useEffect(() => {
    if (!draft) return;
    const timer = setTimeout(() => {
      const point = lat !== undefined && lon !== undefined ? { lat, lon } : null;
      void api.call('incidents.duplicates', { point, type: draft.type || null, callerNumber: draft.callerNumber || null }).then((r) => setProposals(r.proposals));
    }, 150);
    return () => clearTimeout(timer);
  }, [api, lat, lon, draft?.type, draft?.callerNumber, draft]);

  /** Answers a ringing call (the next, 999 first, unless one is named) and takes it up. */
  const answer = async (chosen?: ContactView, only999 = false) => {
    const next = chosen ?? Object.values(contacts).filter((c) => c.state === 'ringing' && (!only999 || c.source === '999')).sort(compareForQueue)[0];
    if (!next) return only999 ? 'No 999 call is ringing' : 'No call is waiting';
    await api.call('contacts.answer', { contactId: next.id });
    await takeUp(next);
    return `Answered the ${next.source} call from ${next.callerNumber ?? 'a withheld number'}`;
  };
  const answerNext = () => answer();

  /**
   * A call chosen in the queue: answered if it rings, taken up again if this handler answered it at this workstation
   * (one they answered at another is on that desk, with its draft and its line).
   */
  const choose = (contact: ContactView) => {
    if (contact.state === 'answered' && answeredHere(contact, me, session?.workstation)) void takeUp(contact);
    else if (contact.state === 'ringing') void answer(contact).then(announce, (e: unknown) => announce((e as Error).message));
  };

  const attach = async (incidentId: string) => {
    if (!draft?.contactId) throw new Error('there is no call to attach: answer one first');
    await api.call('contacts.attach', { contactId: draft.contactId, incidentId });
    const reference = referenceOf(incidentId);
    await finish(`Call attached to ${reference}`);
    return `Call attached to ${reference}`;
  };
  const referenceOf = (id: string) => {
    const found = incidents[id] ?? proposals.find((p) => p.incident.id === id)?.incident;
    return found ? displayReference(found) : 'the incident';
  };

  const save = (resolveWith: string | null = null) =>
    void action.run(async () => {
      if (!draft) return;
      if (!location) throw new Error('a location is needed: a found place, the caller’s position, or the words they used');
      if (!draft.type) throw new Error('choose what kind of incident it is');
      if (!draft.grade && !resolveWith) throw new Error('choose a grade');
      sendGrade();
      const { incident } = await api.call('incidents.create', {
        type: draft.type,
        location,
        // Resolved without deployment and no grade chosen: the force's grade for no attendance.
        grade: draft.grade || (resolveWith ? (config?.grades.find((g) => g.attendanceTargetMinutes === null)?.code ?? '') : ''),
        firstLog: draft.narrative.trim() || null,
        contactId: draft.contactId,
        callerName: draft.callerName,
        callerNumber: draft.callerNumber,
        thrive: Object.entries(draft.answers).map(([questionId, answer]) => ({ questionId, answer, note: '' })),
        resolveWith,
      });
      select(incident.id);
      await finish(`Incident ${displayReference(incident)} ${resolveWith ? 'resolved' : 'created'}`);
    });

  const endCall = (outcome: 'silent' | 'completed', disposal?: { code: string; note: string }) =>
    void action.run(async () => {
      if (!draft?.contactId) return;
      if (outcome === 'completed' && !disposal?.code) throw new Error('choose a disposal: how the call was dealt with');
      if (outcome === 'completed' && !disposal?.note.trim()) throw new Error('say what was done, in a few words');
      await api.call('contacts.end', { contactId: draft.contactId, outcome, ...(disposal ? { disposal } : {}) });
      const disposed = disposal ? config?.calls.disposals.find((d) => d.code === disposal.code)?.name : null;
      await finish(outcome === 'silent' ? 'Silent call ended: a call-back task is made' : `Call ended without an incident: ${disposed ?? disposal?.code}`);
    });

  const target = useSelectedIncident();

  const onIntent = useIntents(target, {
    new: async () => {
      await takeUp(null);
      return 'New incident without a call';
    },
    answer: answerNext,
    record: async (intent) => {
      if (intent.verb !== 'record') return '';
      const { contact } = await api.call('contacts.record', { source: intent.source, callerNumber: intent.callerNumber });
      await takeUp(contact);
      return `Taking a${intent.source === 'online' ? 'n online report' : intent.source === 'alarm' ? 'n alarm company call' : ' call from another agency'}`;
    },
    attach: async (intent) => {
      if (intent.verb !== 'attach') return '';
      return attach((await findByReference(api, intent.reference)).id);
    },
  });

  useHotkeys('calltaking', {
    answerNext: () => void answerNext().then(announce, (e: unknown) => announce((e as Error).message)),
    answer999: () => void answer(undefined, true).then(announce, (e: unknown) => announce((e as Error).message)),
    attachProposed: () => {
      const first = proposals[0];
      if (first && draft?.contactId) void action.run(() => attach(first.incident.id));
    },
    findLocation: () => focusById(CALL_LOCATION_ID, true),
    useHandset: () => {
      const handset = active?.handsetLocation;
      if (handset && draft) change({ locationChosen: fromHandset(handset), locationTyped: '' });
    },
    home: () => {
      if (!dialogOpen) focusById(QUEUE_ID);
    },
  });

  const waiting = useMemo(() => Object.values(contacts).filter((c) => c.state === 'ringing').length, [contacts]);
  return (
    <>
      <main className="workspace calltaking">
        <div className="list-column">
          <PanelBoundary part="the call queue">
            <ContactQueue activeId={activeId} onChoose={choose} />
          </PanelBoundary>
          <PanelBoundary part="the call-backs">
            <CallBacks />
          </PanelBoundary>
        </div>
        {draft ? (
          <PanelBoundary part="the call form">
            <CallForm draft={draft} keptAt={keptAt} contact={active} change={change} busy={action.busy} error={action.error} onSave={() => save()} onResolve={(code) => save(code)} onEndCall={endCall} />
          </PanelBoundary>
        ) : (
          <section className="call-form empty" aria-label="No call being taken">
            <p>{waiting ? `${waiting} waiting: press F2 to answer the next call (999 first).` : 'No call waiting. F2 answers the next one; NEW on the command line starts an incident without a call.'}</p>
          </section>
        )}
        {draft && (
          <aside className="call-context">
            <PanelBoundary part="the history at this place and number">
              <HistoryPanel point={location?.point ?? null} locationText={location?.text ?? null} callerNumber={draft.callerNumber || null} currentContactId={draft.contactId} />
            </PanelBoundary>
            <PanelBoundary part="the possible duplicates">
              <DuplicateProposals proposals={proposals} canAttach={Boolean(draft.contactId)} onAttach={(id) => void action.run(() => attach(id))} />
            </PanelBoundary>
          </aside>
        )}
      </main>
      <PanelBoundary part="the command line">
        <CommandLine target={target} onIntent={onIntent} />
      </PanelBoundary>
      <ShortcutLegend role="calltaking" />
    </>
  );
}
