import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { writeFileAtomic } from '../pki/atomic-file';

/** A certificate the simulator issued; persisted so seat authentication and the Public API survive restarts. */
export interface IssuedRecord {
  serial: string;
  sha1: string;
  userId: string;
  service: string;
  computerName?: string;
  hwsig?: string;
  pem: string;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  revoked?: boolean;
  tpmAttested?: boolean;
  smb?: string;
}

export class IssuedRegistry {
  private records: IssuedRecord[] = [];
  /** Private keys of server-generated certificates, memory only (historical-certs within one run). */
  private readonly keys = new Map<string, KeyObject>();
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  readonly file: string;
  /** Users that received a certificate (ErrMaxLicensedUsersReached counts them). */
  private readonly licensed = new Map<string, Set<string>>();

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'issued.json');
  }

  async load(): Promise<void> {
    try {
      this.records = JSON.parse(await fs.readFile(this.file, 'utf8')) as IssuedRecord[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`${this.file} is corrupt (${(e as Error).message}); delete it to start afresh`);
    }
    for (const r of this.records) this.license(r.service, r.userId);
  }

  private license(service: string, userId: string): void {
    let set = this.licensed.get(service);
    if (!set) this.licensed.set(service, (set = new Set()));
    set.add(userId);
  }

  licensedUsers(service: string): Set<string> {
    return this.licensed.get(service) ?? new Set();
  }

  add(rec: IssuedRecord, key?: KeyObject): void {
    this.records.push(rec);
    if (key) this.keys.set(rec.serial, key);
    this.license(rec.service, rec.userId);
    this.scheduleSave();
  }

  keyOf(serial: string): KeyObject | undefined {
    return this.keys.get(serial);
  }

  all(): IssuedRecord[] {
    return this.records;
  }

  bySha1(sha1: string): IssuedRecord | undefined {
    const f = sha1.toLowerCase().replace(/:/g, '');
    return this.records.find((r) => r.sha1 === f);
  }

  bySerial(serial: string): IssuedRecord | undefined {
    return this.records.find((r) => r.serial === serial.toLowerCase());
  }

  forUser(userId: string, service?: string): IssuedRecord[] {
    return this.records.filter((r) => r.userId === userId && (!service || r.service === service));
  }

  /** Latest valid, non-revoked certificate of a seat (user + computer name, optionally a HWSIG). */
  latestValid(userId: string, computerName: string | undefined, hwsig?: string): IssuedRecord | undefined {
    const now = Date.now();
    return this.records
      .filter((r) => r.userId === userId && !r.smb && !r.revoked && Date.parse(r.notAfter) > now)
      .filter((r) => !computerName || !r.computerName || r.computerName === computerName)
      .filter((r) => (hwsig === undefined ? true : r.hwsig === hwsig))
      .sort((a, b) => Date.parse(b.issuedAt) - Date.parse(a.issuedAt))[0];
  }

  update(serial: string, patch: Partial<IssuedRecord>): IssuedRecord | undefined {
    const r = this.bySerial(serial);
    if (r) {
      Object.assign(r, patch);
      this.scheduleSave();
    }
    return r;
  }

  private scheduleSave(): void {
    if (this.dirty) return;
    this.dirty = true;
    // Coalesce bursts (500 concurrent enrollments) into one write.
    this.saving = this.saving.then(
      () =>
        new Promise<void>((resolve) => {
          setTimeout(() => {
            this.dirty = false;
            writeFileAtomic(this.file, JSON.stringify(this.records), 0o600).then(resolve, resolve);
          }, 50);
        }),
    );
  }

  async flush(): Promise<void> {
    await this.saving;
  }
}
