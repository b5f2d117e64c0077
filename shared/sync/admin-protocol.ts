import { z } from 'zod';
import { Name } from '../domain/ids';
import { MAX_PASSWORD_LENGTH } from '../domain/password-rules';
import { Instant } from '../domain/time';
import { Uuid } from '../domain/ids';
import { ErasableKind, ErasureReason } from '../domain/erasure';

/**
 * A force administrator's requests to the server that cannot be replicated commands: setting a password (which
 * only the server may know, as a hash), the lockouts (which only the server counts), and erasing a record (which
 * only the server can do to every copy, its command log and its audit values). Each carries the
 * administrator's sign-in ticket, checked as a command's is, and the server checks that they hold the admin role
 * as it stands there now. Online only, by their nature.
 */
/** Who makes an administrator's request; the server reads and checks it before the rest (server/access/admin-routes.ts). */
export const Caller = z.object({ operator: Name, ticket: z.string().min(1).max(2000) });

/**
 * The record an erasure (or its preview) is about: its kind and id, and how the administrator named it (`named`: an
 * incident's reference), which the server says back in a refusal instead of the id, never looking it up (issue 12
 * m1: "no incident 3f2a…" named an id nobody typed). Letters, digits and dashes, as a reference is written.
 */
const ErasureRecord = z.object({ kind: ErasableKind, id: Uuid, named: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional() });

export const AdminRequest = z.discriminatedUnion('action', [
  Caller.extend({ action: z.literal('set-password'), subject: Name, password: z.string().min(1).max(MAX_PASSWORD_LENGTH * 4) }),
  Caller.extend({ action: z.literal('unlock'), subject: Name }),
  Caller.extend({ action: z.literal('lockouts'), subjects: z.array(Name).max(2000) }),
  /** A records manager's erasure of a record and what goes with it (shared/domain/erasure.ts), with the reason. */
  Caller.extend({ action: z.literal('erase'), record: ErasureRecord, reason: ErasureReason }),
  /**
   * What erasing that record would take with it, found by the server as the erasure finds it and nothing written
   * (`goes` in words, "3 log entries"; `problem`: why it may not be erased now, or absent), so the administrator
   * confirms exactly what the erasure does.
   */
  Caller.extend({ action: z.literal('erase-preview'), record: ErasureRecord }),
  /**
   * Whether a record this workstation does not hold was erased already, and by whom and when (`done` says it, or
   * that the server holds no erasure of it): an incident by its id or its force or provisional reference, a call or
   * a marker by its id. The server answers about the administrator's own force's records only.
   */
  Caller.extend({ action: z.literal('erasure-of'), kind: ErasableKind, record: z.string().trim().min(1).max(64) }),
]);
export type AdminRequest = z.infer<typeof AdminRequest>;

export const AccountLockout = z.object({ operator: Name, locked: z.boolean(), until: Instant.nullable(), recentFailures: z.number().int().nonnegative() });
export type AccountLockout = z.infer<typeof AccountLockout>;

export const AdminResponse = z.object({
  /** What was done, in words. */
  done: z.string(),
  /** For `lockouts`: each account named, in the order asked. */
  accounts: z.array(AccountLockout).default([]),
  /** For `erasure-of`: whether the record was erased already (`done` then says by whom and when). */
  erased: z.boolean().optional(),
  /** For `erase-preview`: each kind of record that would go with it, counted, in words; and why it may not be erased now. */
  goes: z.array(z.string()).optional(),
  problem: z.string().nullable().optional(),
});
export type AdminResponse = z.infer<typeof AdminResponse>;
