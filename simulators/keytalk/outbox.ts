import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../pki/atomic-file';

export interface OutboxMail {
  to: string;
  subject: string;
  kind: 'otp' | 'approval' | 'smime-enrollment' | 'notice';
  body: string;
  /** Machine-readable payload (the OTP, the approver e-mail, the download link…). */
  data: Record<string, string>;
}

/**
 * Where the simulator "sends" mail: one JSON file per message, named so that tests can find the newest one for a
 * user (`<time>-<seq>-<kind>-<recipient>.json`).
 */
export class Outbox {
  private seq = 0;
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  async send(mail: OutboxMail): Promise<string> {
    this.seq += 1;
    const safe = mail.to.replace(/[^A-Za-z0-9@._-]/g, '_');
    const file = path.join(this.dir, `${Date.now()}-${String(this.seq).padStart(5, '0')}-${mail.kind}-${safe}.json`);
    await writeFileAtomic(file, `${JSON.stringify({ ...mail, sentUtc: new Date().toISOString() }, null, 2)}\n`, 0o600);
    return file;
  }

  /** Messages for a recipient, oldest first. */
  async list(to?: string): Promise<(OutboxMail & { file: string })[]> {
    const names = (await fs.readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    const out: (OutboxMail & { file: string })[] = [];
    for (const n of names) {
      const file = path.join(this.dir, n);
      const mail = JSON.parse(await fs.readFile(file, 'utf8')) as OutboxMail;
      if (!to || mail.to === to) out.push({ ...mail, file });
    }
    return out;
  }
}
