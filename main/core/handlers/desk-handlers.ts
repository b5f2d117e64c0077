import { DeskLayout, type WindowBounds, type WindowRole } from '../../../shared/domain/desk-layout';
import { instantOf } from '../../../shared/domain/time';
import { ApiError } from '../../../shared/contract/errors';
import type { CoreContext, HandlerGroup } from '../core-context';

type DeskChannels = 'desk.report' | 'desk.save' | 'desk.layout' | 'desk.reportFault';

/** Distinct faults logged in one run: a window failing in a new way at every render must not fill the disk. */
const MAX_FAULTS_LOGGED = 100;

/**
 * The operator's desk: the windows open now (each reports where it is, and when it closes) and the layout saved
 * from them, kept per operator in this workstation's file, so the same desk comes back at their next sign-in.
 */
export function deskHandlers(ctx: CoreContext): HandlerGroup<DeskChannels> {
  const open = new Map<string, { role: WindowRole; bounds: WindowBounds }>();
  const faultsLogged = new Set<string>();
  const keyOf = () => {
    const operator = ctx.session.signedIn?.operator.id;
    if (!operator) throw new ApiError('unauthenticated', 'nobody is signed in at this workstation');
    return `desk:${operator}`;
  };
  return {
    'desk.report': ({ windowId, role, bounds }) => {
      if (bounds) open.set(windowId, { role, bounds });
      else open.delete(windowId);
      return {};
    },
    'desk.save': () => {
      const layout: DeskLayout = { windows: [...open.values()].slice(0, 8) };
      if (layout.windows.length === 0) throw new ApiError('bad_request', 'no window has reported where it is yet');
      const key = keyOf();
      ctx.store.transaction(() => ctx.store.drafts.save(key, layout, instantOf(ctx.clock)));
      return { layout };
    },
    // Every window with a map reports a missing WebGL, and again on each reload: the log says it once.
    'desk.reportFault': ({ part, problem }) => {
      const key = `${part}\n${problem}`;
      if (faultsLogged.has(key) || faultsLogged.size >= MAX_FAULTS_LOGGED) return { first: false };
      faultsLogged.add(key);
      ctx.log.warn({ part, problem }, `${part} unavailable in a window: ${problem}`);
      return { first: true };
    },
    'desk.layout': () => {
      const saved = DeskLayout.safeParse(ctx.store.drafts.get(keyOf())?.data);
      return { layout: saved.success ? saved.data : null };
    },
  };
}
