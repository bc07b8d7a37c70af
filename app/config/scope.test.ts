import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveHome } from './home';
import { resolveScope, systemHome } from './scope';

// Issue 20 machine scope: one place decides user or machine scope and the home that goes with it.
describe('agent scope', () => {
  it('--system or KEYTALK_AGENT_SCOPE=machine is the machine scope; a typo is refused naming the fix', () => {
    expect(resolveScope(false, {})).toBe('user');
    expect(resolveScope(true, {})).toBe('machine');
    expect(resolveScope(false, { KEYTALK_AGENT_SCOPE: 'machine' })).toBe('machine');
    expect(resolveScope(false, { KEYTALK_AGENT_SCOPE: 'user' })).toBe('user');
    expect(() => resolveScope(false, { KEYTALK_AGENT_SCOPE: 'machien' })).toThrow(
      /KEYTALK_AGENT_SCOPE="machien" is not a scope; set it to "machine".*or "user", or unset it/,
    );
  });

  it('the system home per OS; --home and KEYTALK_AGENT_HOME still win', () => {
    expect(systemHome('linux', {})).toBe('/var/lib/keytalk-agent');
    expect(systemHome('darwin', {})).toBe('/Library/Application Support/KeyTalk Agent');
    expect(systemHome('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\KeyTalk Agent');
    expect(systemHome('win32', {})).toBe('C:\\ProgramData\\KeyTalk Agent');
    if (process.platform === 'linux') expect(resolveHome(undefined, {}, 'machine')).toBe('/var/lib/keytalk-agent');
    expect(resolveHome(undefined, { KEYTALK_AGENT_HOME: '/srv/kt' }, 'machine')).toBe(path.resolve('/srv/kt'));
    expect(resolveHome('/opt/kt', {}, 'machine')).toBe(path.resolve('/opt/kt'));
  });
});
