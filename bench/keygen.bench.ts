/**
 * Key generation and CSR building: the agent's native path versus the openssl CLI doing the same work, measured
 * in the same run and interleaved (RSA prime search varies a lot from key to key, and the machine is shared, so
 * alternating keeps both sides under the same conditions). The openssl figures include process start-up, which
 * is what a shell-script client pays too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCsr } from '../app/crypto/csr';
import { generateRsaKeyPair } from '../app/crypto/keys';
import type { BenchResult } from './run';

const KEY_ROUNDS = 24;
const CSR_ROUNDS = 40;

const subject = {
  cn: 'Bench User',
  c: 'NL',
  st: 'Utrecht',
  l: 'Amersfoort',
  o: 'KeyTalk',
  ous: ['Development', 'Administration'],
  e: 'bench@keytalk.com',
};
const san = ['email:bench@keytalk.com', 'DNS:bench.keytalk.com'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-bench-keygen-'));
  try {
    // Warm-up: first calls pay for module loading and OpenSSL initialisation on both sides.
    await generateRsaKeyPair(2048);
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });

    const agentKey: number[] = [];
    const opensslKey: number[] = [];
    for (let i = 0; i < KEY_ROUNDS; i++) {
      let t = performance.now();
      await generateRsaKeyPair(2048);
      agentKey.push(performance.now() - t);
      t = performance.now();
      execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      opensslKey.push(performance.now() - t);
    }

    const { privateKeyPem } = await generateRsaKeyPair(2048);
    const keyFile = path.join(dir, 'k.pem');
    writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
    const subj =
      '/C=NL/ST=Utrecht/L=Amersfoort/O=KeyTalk/OU=Development/OU=Administration/CN=Bench User/emailAddress=bench@keytalk.com';
    const opensslCsr = (): void => {
      execFileSync(
        'openssl',
        [
          'req',
          '-new',
          '-key',
          keyFile,
          '-sha256',
          '-subj',
          subj,
          '-addext',
          'subjectAltName=email:bench@keytalk.com,DNS:bench.keytalk.com',
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
    };
    buildCsr({ privateKeyPem, subject, san, signingAlgo: 'sha256' });
    opensslCsr();
    const agentCsr: number[] = [];
    const opensslCsrTimes: number[] = [];
    for (let i = 0; i < CSR_ROUNDS; i++) {
      let t = performance.now();
      buildCsr({ privateKeyPem, subject, san, signingAlgo: 'sha256' });
      agentCsr.push(performance.now() - t);
      t = performance.now();
      opensslCsr();
      opensslCsrTimes.push(performance.now() - t);
    }

    const keyValue = mean(agentKey);
    const keyBase = mean(opensslKey);
    const csrValue = median(agentCsr);
    const csrBase = median(opensslCsrTimes);
    return [
      {
        name: `RSA-2048 key generation (mean of ${KEY_ROUNDS}, generateRsaKeyPair)`,
        value: keyValue,
        unit: 'ms',
        baselineName: 'openssl genpkey',
        baseline: keyBase,
        ratio: keyValue / keyBase,
        target: '≤ 1.1',
        met: keyValue / keyBase <= 1.1,
      },
      {
        name: `CSR build + sign (median of ${CSR_ROUNDS}, buildCsr)`,
        value: csrValue,
        unit: 'ms',
        baselineName: 'openssl req -new',
        baseline: csrBase,
        ratio: csrValue / csrBase,
        target: '≤ 1.1',
        met: csrValue / csrBase <= 1.1,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
