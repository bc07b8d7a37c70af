import { generateKeyPair, type KeyObject } from 'node:crypto';
import { keyCacheServes, nextCachedKey } from './key-cache';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** RSA key pair through Node's native code (≈180 ms for 2048 bits; forge's pure-JS path is ~5× slower). */
export function generateRsaKeyPair(bits = 2048): Promise<KeyPair> {
  // Test runs only (key-cache.ts): a key no other part of this process has, made once for all test files.
  if (keyCacheServes(bits)) return nextCachedKey();
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (err, publicKey, privateKey) => {
      if (err) reject(err);
      else resolve({ publicKey, privateKey });
    });
  });
}

/**
 * A small pool of pre-generated RSA keys: server-side enrollment needs a fresh key per certificate and keygen is
 * the CPU-bound part, so keys are made ahead of demand (in the background, a few at a time) and handed out once.
 */
export class RsaKeyPool {
  private readonly ready: KeyPair[] = [];
  private inFlight = 0;
  private stopped = false;

  private nextShared = 0;

  /**
   * @param reuse load-test mode: once `target` keys exist they are handed out round-robin instead of once, so
   *   throughput is not bound by keygen. A real server never reuses keys; keep it off unless measuring the rest.
   */
  constructor(
    private readonly target = 8,
    private readonly bits = 2048,
    private readonly parallel = 2,
    private readonly reuse = false,
  ) {}

  private shared?: Promise<KeyPair[]>;

  private fillShared(): Promise<KeyPair[]> {
    this.shared ??= Promise.all(Array.from({ length: this.target }, () => generateRsaKeyPair(this.bits)));
    return this.shared;
  }

  /** Start filling the pool in the background. */
  start(): void {
    if (this.reuse && this.target > 0) void this.fillShared().catch(() => undefined);
    else this.refill();
  }

  stop(): void {
    this.stopped = true;
  }

  get size(): number {
    return this.ready.length;
  }

  /** A never-used key: from the pool when one is ready, otherwise generated now. */
  async take(): Promise<KeyPair> {
    if (this.reuse && this.target > 0) {
      const shared = await this.fillShared();
      this.nextShared = (this.nextShared + 1) % shared.length;
      return shared[this.nextShared]!;
    }
    const key = this.ready.shift();
    this.refill();
    return key ?? generateRsaKeyPair(this.bits);
  }

  private refill(): void {
    while (!this.reuse && !this.stopped && this.ready.length + this.inFlight < this.target && this.inFlight < this.parallel) {
      this.inFlight += 1;
      generateRsaKeyPair(this.bits)
        .then((k) => {
          if (!this.stopped) this.ready.push(k);
        })
        .catch(() => undefined)
        .finally(() => {
          this.inFlight -= 1;
          this.refill();
        });
    }
  }
}
