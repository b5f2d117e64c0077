import { DatabaseError } from 'pg';
import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl } from '../../server/storage/postgres/pg-config';
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
