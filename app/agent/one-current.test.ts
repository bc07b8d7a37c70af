import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempSimulator, type TempSimulator } from '../../simulators/keytalk/temp-simulator';
import { enrollWithPassword, importRccdFile } from '../../test-support/agent/agent-helpers';
import { enrollments } from '../engine/state';
import { replacedCertificates } from '../engine/replaced-certificates';
import { MemorySecretStore } from '../system/secret-store';
import { createAgent, type AgentRuntime } from './index';

/**
 * One current certificate per provider/service/user (issue 19): a new enrollment replaces the previous one in
 * every store, as a renewal does; the replaced ones are listed as previous (replacedBy) from the history.
 */
let kt: TempSimulator;
let agent: AgentRuntime;
let home: string;

beforeAll(async () => {
  kt = await startTempSimulator('kt-one-current-', {
    providers: [
      {
        name: 'Acme',
        services: [
          { name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} },
          { name: 'SMIME', credentials: ['USERID', 'PASSWD'], cert: { historicalCerts: true } },
        ],
        users: [
          { id: 'alice', password: 'a-pass' },
          { id: 'bob', password: 'b-pass' },
        ],
      },
    ],
  });
  home = path.join(kt.dir, 'home');
  agent = createAgent({
    home,
    userHome: path.join(home, '..', 'user'),
    secretStore: new MemorySecretStore(),
    engine: { sleep: async () => {} },
  });
  await importRccdFile(agent, kt.sim.rccds.Acme!);
});
afterAll(async () => {
  await agent?.stop();
  await kt?.stop();
});

describe('one current certificate per provider/service/user', () => {
  it('three enrollments of one user leave one current card and two previous ones; another user keeps hers', async () => {
    const issued: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await enrollWithPassword(agent, { provider: 'Acme', service: 'PASSWD', user: 'alice', password: 'a-pass' });
      expect(out.status).toBe('issued');
      if (out.status === 'issued') issued.push(out.sha256Fingerprint);
    }
    const bob = await enrollWithPassword(agent, { provider: 'Acme', service: 'PASSWD', user: 'bob', password: 'b-pass' });
    expect(bob.status).toBe('issued');

    const list = await agent.handlers['certs:list']({});
    const current = list.filter((c) => !c.replacedBy);
    const previous = list.filter((c) => c.replacedBy);
    expect(current.map((c) => c.sha256Fingerprint).sort()).toEqual(
      [issued[2]!, bob.status === 'issued' ? bob.sha256Fingerprint : ''].sort(),
    );
    // Newest replacement first: the second one (replaced by the third), then the first (replaced by the second).
    expect(previous.map((c) => [c.sha256Fingerprint, c.replacedBy, c.stores])).toEqual([
      [issued[1], issued[2], []],
      [issued[0], issued[1], []],
    ]);
    expect(previous.every((c) => c.provider === 'Acme' && c.service === 'PASSWD' && c.serialNumber !== '')).toBe(true);

    // Gone from the store itself (no program can pick the old one), and from the records renewal works from.
    const folders = (await fs.readdir(path.join(home, 'certs'))).filter((n) => /^[0-9A-F]{64}$/.test(n)).sort();
    expect(folders).toEqual(current.map((c) => c.sha256Fingerprint).sort());
    expect((await enrollments.list(home)).map((r) => r.sha256Fingerprint).sort()).toEqual(folders);
    expect((await replacedCertificates.list(home)).map((h) => h.sha256Fingerprint).sort()).toEqual([issued[0], issued[1]].sort());
  });

  it('an S/MIME certificate the new reply lists as historical keeps its key in the file store, listed as previous', async () => {
    const enroll = () => enrollWithPassword(agent, { provider: 'Acme', service: 'SMIME', user: 'bob', password: 'b-pass' });
    const first = await enroll();
    const second = await enroll(); // its reply carries the first one among the seat's historical certificates
    if (first.status !== 'issued' || second.status !== 'issued') throw new Error('not issued');
    const old = first.sha256Fingerprint;
    // Mail encrypted to the old certificate must stay readable: its key is not deleted with the switch-over.
    expect(await fs.readFile(path.join(home, 'certs', old, 'key.pem'), 'utf8')).toMatch(/PRIVATE KEY/);
    expect(JSON.parse(await fs.readFile(path.join(home, 'certs', old, 'meta.json'), 'utf8'))).toMatchObject({ historical: true });
    const list = await agent.handlers['certs:list']({});
    expect(list.filter((c) => c.service === 'SMIME' && !c.replacedBy && !c.historical).map((c) => c.sha256Fingerprint)).toEqual([
      second.sha256Fingerprint,
    ]);
    expect(list.find((c) => c.sha256Fingerprint === old)).toMatchObject({
      historical: true,
      replacedBy: second.sha256Fingerprint,
    });
    expect(list.filter((c) => c.sha256Fingerprint === old)).toHaveLength(1);
    // Replaced for renewal purposes: no record left to renew it from.
    expect((await enrollments.list(home)).some((r) => r.sha256Fingerprint === old)).toBe(false);
  });

  it('a store list that fails right after an issue ends the flow (flow:done, no open flow), the new certificate kept', async () => {
    const deps = agent.engineDeps;
    const real = deps.stores;
    let calls = 0;
    let failAt = Infinity;
    deps.stores = () => (++calls === failAt ? Promise.reject(new Error('stores unavailable')) : real());
    try {
      const bob = { provider: 'Acme', service: 'PASSWD', user: 'bob', password: 'b-pass' };
      expect((await enrollWithPassword(agent, bob)).status).toBe('issued');
      // The last store list of an enrollment is the one that retires the previous certificate, after the issue.
      failAt = calls * 2;
      const out = await enrollWithPassword(agent, bob);
      expect(calls).toBe(failAt);
      expect(out.status).toBe('issued');
      expect((await agent.handlers['flow:current']({})).waiting).toBeUndefined();
      if (out.status === 'issued')
        expect((await agent.handlers['certs:list']({})).map((c) => c.sha256Fingerprint)).toContain(out.sha256Fingerprint);
    } finally {
      deps.stores = real;
    }
  });
});
