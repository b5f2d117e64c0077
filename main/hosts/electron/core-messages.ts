import type { Reply } from '../../../shared/contract/errors';
import type { RequestMeta } from '../../../shared/contract/request-meta';
import type { WorkstationSettings } from '../../core/start-workstation';

/** Between the Electron main process and the utility process that runs the console core. */
export type ToCore =
  | { type: 'start'; settings: WorkstationSettings }
  | { type: 'request'; id: number; channel: string; request: unknown; meta?: RequestMeta }
  | { type: 'stop' };

export type FromCore =
  | { type: 'ready'; serverUrl: string }
  | { type: 'reply'; id: number; reply: Reply }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'fatal'; message: string };
