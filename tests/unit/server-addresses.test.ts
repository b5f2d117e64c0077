import { describe, expect, it } from 'vitest';
import { parseConsoleOptions, type ConsoleOptions } from '../../launch/console-options';
import { checkServerUrl } from '../../node-common/link-security';

// A workstation given the addresses of several instances of one server (on one database), comma-separated.

describe('--server with several addresses', () => {
  it('keeps each address, in the order given', () => {
    const options = parseConsoleOptions(['--server', 'https://cad-a.force.example:4100/, https://cad-b.force.example:4100']) as ConsoleOptions;
    expect(options.serverUrl).toBe('https://cad-a.force.example:4100,https://cad-b.force.example:4100');
  });

  it('refuses the whole option for one address that is not http(s), naming it', () => {
    expect(() => parseConsoleOptions(['--server', 'https://cad-a.force.example:4100,ftp://cad-b'])).toThrow(/--server must be an http:\/\/ or https:\/\/ address \(or several, comma-separated\), not "ftp:\/\/cad-b"/);
  });

  it('refuses plain HTTP to any of them that is not this machine', () => {
    expect(() => checkServerUrl('http://127.0.0.1:4100,http://cad-b.force.example:4100', false)).toThrow(/refusing to talk plain HTTP to cad-b.force.example:4100/);
    expect(() => checkServerUrl('http://127.0.0.1:4100,http://127.0.0.1:4101', false)).not.toThrow();
  });
});
