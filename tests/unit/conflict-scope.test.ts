import { describe, expect, it } from 'vitest';
import { conflictScope, mayOpenConflict } from '../../shared/domain/conflict';
import type { Role } from '../../shared/domain/operator';

// A conflict carries what its author typed: who may open which, on a live workstation and an exercise's.
const live = { training: false };
const exercise = { training: true };
const as = (id: string, ...roles: Role[]) => ({ id, roles });
const alices = { operator: 'alice' };

describe('who may open a conflict', () => {
  it('shows a call handler or dispatcher the conflicts of their own commands, and nobody else’s', () => {
    expect(mayOpenConflict(as('alice', 'call_handler'), alices, live)).toBe(true);
    expect(mayOpenConflict(as('dan', 'call_handler', 'dispatcher'), alices, live)).toBe(false);
    expect(conflictScope(as('bob', 'dispatcher'), live)).toEqual({ author: 'bob' });
  });

  it('shows a supervisor the room’s, live or in an exercise', () => {
    expect(mayOpenConflict(as('carol', 'supervisor'), alices, live)).toBe(true);
    expect(conflictScope(as('carol', 'supervisor'), exercise)).toEqual({ all: true });
  });

  it('shows a trainer the exercise’s on its workstation, and none on a live one', () => {
    expect(mayOpenConflict(as('tina', 'trainer'), alices, exercise)).toBe(true);
    expect(conflictScope(as('tina', 'trainer'), live)).toBe('none');
  });

  it('shows an auditor, a force administrator and nobody signed in none at all', () => {
    for (const who of [as('eve', 'auditor'), as('admin', 'admin'), null]) {
      expect(conflictScope(who, live)).toBe('none');
      expect(mayOpenConflict(who, { operator: who?.id ?? 'alice' }, live)).toBe(false);
    }
  });
});
