import { DatabaseError } from 'pg';
import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl } from '../../server/storage/postgres/pg-config';
import { PokeRelay } from '../../server/storage/postgres/poke-relay';
import { failureKind } from '../../server/storage/postgres/transactions';

function databaseError(code: string): DatabaseError {
  const error = new DatabaseError(`error ${code}`, 0, 'error');
  error.code = code;
  return error;
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe('how the PostgreSQL storage classes a failure', () => {
  it.each([
    ['a serialization failure', databaseError('40001'), 'contention'],
    ['a deadlock', databaseError('40P01'), 'contention'],
    ['a refused connection', socketError('ECONNREFUSED'), 'broken'],
    ['a reset connection', socketError('ECONNRESET'), 'broken'],
    ['a connection PostgreSQL ended', new Error('Connection terminated unexpectedly'), 'broken'],
    ['an administrator shutting the database down', databaseError('57P01'), 'broken'],
    ['a database still starting', databaseError('57P03'), 'broken'],
    ['a connection exception', databaseError('08006'), 'broken'],
    ['a pool with no connection free in time', new Error('timeout exceeded when trying to connect'), 'busy'],
    ['a connection not answered in time', new Error('Connection terminated due to connection timeout'), 'busy'],
    ['a lock wait past lock_timeout', databaseError('55P03'), 'busy'],
    ['too many connections', databaseError('53300'), 'busy'],
    ['a unique violation (a bug, not an outage)', databaseError('23505'), 'other'],
    ['a syntax error', databaseError('42601'), 'other'],
    ['an error of our own code', new TypeError('x is undefined'), 'other'],
  ])('%s is %s', (_name, error, kind) => {
    expect(failureKind(error)).toBe(kind);
  });
});

describe('a database URL in a log', () => {
  it.each([
    ['postgres://cordon:s3cret@db.example:5432/cordon', 'postgres://cordon:***@db.example:5432/cordon'],
    ['postgres://cordon@db.example/cordon?sslmode=require&password=s3cret', 'postgres://cordon@db.example/cordon?sslmode=require&password=***'],
    ['postgres://cordon@db.example/cordon', 'postgres://cordon@db.example/cordon'],
    ['not a url s3cret', '(a database URL that could not be parsed)'],
  ])('%s shows as %s', (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
    expect(redactDatabaseUrl(url)).not.toContain('s3cret');
  });
});

describe('which database notifications an instance passes on as pokes', () => {
  const relayWithPokes = () => {
    const poked: number[] = [];
    const relay = new PokeRelay('this-instance', (head) => poked.push(head));
    const other = new PokeRelay('other-instance', () => {});
    return { relay, poked, other };
  };

  it('passes on another instance’s change, and holds back its own, whichever arrives first: notification or answer', () => {
    const { relay, poked, other } = relayWithPokes();
    relay.heard(other.payload(1));
    relay.committing(2);
    relay.heard(relay.payload(2)); // the notification overtook the COMMIT's answer
    relay.committing(3);
    relay.heard(relay.payload(3));
    expect(poked).toEqual([1]);
    expect(relay.waitingCount).toBe(0);
  });

  it('pokes for its own commit whose answer was lost, whether the notification came before or after', () => {
    const { relay, poked } = relayWithPokes();
    relay.committing(1);
    relay.heard(relay.payload(1));
    relay.commitUncertain(1); // heard and held back, then the answer was lost: nobody was poked
    relay.committing(2);
    relay.commitUncertain(2);
    relay.heard(relay.payload(2)); // the answer was lost, then the notification came: it happened
    expect(poked).toEqual([1, 2]);
  });

  it('forgets its own rolled-back heads once a later change is heard, so nothing waits for ever', () => {
    const { relay, poked, other } = relayWithPokes();
    relay.committing(5);
    relay.commitUncertain(5); // rolled back in fact: no notification will come
    relay.heard(other.payload(5)); // another instance took number 5
    expect(poked).toEqual([5]);
    expect(relay.waitingCount).toBe(0);
  });

  it('pokes with the head after listening again, and ignores a payload it cannot read', () => {
    const { relay, poked } = relayWithPokes();
    relay.committing(7);
    relay.listeningAgain(9);
    relay.heard('not json');
    relay.heard(JSON.stringify({ from: 'x' }));
    expect(poked).toEqual([9]);
    expect(relay.waitingCount).toBe(0);
  });
});
