import type { Migration } from '../../../node-common/sqlite';
import { incidents } from './0001-incidents';
import { outbox } from './0002-outbox';
import { serverCopy } from './0003-server-copy';
import { unitsAssignmentsConflicts } from './0004-units-assignments-conflicts';
import { operators } from './0005-operators';
import { contactsTasksMarkers } from './0006-contacts-tasks-markers';
import { drafts } from './0007-drafts';
import { refusalHandling } from './0008-refusal-handling';
import { refusalRecords } from './0009-refusal-records';
import { recordForces } from './0010-record-forces';
import { loans } from './0011-loans';
import { shares } from './0012-shares';
import { arrangementsTransfers } from './0013-arrangements-transfers';
import { signInFailures } from './0014-sign-in-failures';

/** In order; each one's version is its position. Never edit one that has shipped: add the next. */
export const workstationMigrations: readonly Migration[] = [incidents, outbox, serverCopy, unitsAssignmentsConflicts, operators, contactsTasksMarkers, drafts, refusalHandling, refusalRecords, recordForces, loans, shares, arrangementsTransfers, signInFailures];
