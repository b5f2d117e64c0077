import { DeskLayout, type WindowBounds, type WindowRole } from '../../../shared/domain/desk-layout';
import { instantOf } from '../../../shared/domain/time';
import { ApiError } from '../../../shared/contract/errors';
import type { CoreContext, HandlerGroup } from '../core-context';

type DeskChannels = 'desk.report' | 'desk.save' | 'desk.layout';

/**
 * The operator's desk: the windows open now (each reports where it is, and when it closes) and the layout saved
 * from them, kept per operator in this workstation's file, so the same desk comes back at their next sign-in.
 */
export function deskHandlers(ctx: CoreContext): HandlerGroup<DeskChannels> {
  const open = new Map<string, { role: WindowRole; bounds: WindowBounds }>();
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
    'desk.layout': () => {
      const saved = DeskLayout.safeParse(ctx.store.drafts.get(keyOf())?.data);
      return { layout: saved.success ? saved.data : null };
    },
  };
}
