import type { Reply } from '../../../shared/contract/errors';
import type { RequestMeta } from '../../../shared/contract/request-meta';

/**
 * Between the Electron main process and the utility process that runs the console core. The settings the core
 * starts with are the launcher's business (launch/), so the host carries them without knowing their shape.
 */
export type ToCore<Settings = unknown> =
  | { type: 'start'; settings: Settings }
  | { type: 'request'; id: number; channel: string; request: unknown; meta?: RequestMeta }
  | { type: 'stop' };

export type FromCore =
  | { type: 'ready'; serverUrl: string }
  | { type: 'reply'; id: number; reply: Reply }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'fatal'; message: string };
