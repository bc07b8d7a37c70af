/**
 * oidc-provider's storage adapter, kept in a Map the test IdP owns so tests can reach in and expire or revoke
 * refresh tokens the way a real IdP would (the provider then answers invalid_grant on its own).
 */
export type Payload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  consumed?: number;
  exp?: number;
};

export class AdapterStore {
  readonly models = new Map<string, Map<string, Payload>>();

  model(name: string): Map<string, Payload> {
    let m = this.models.get(name);
    if (!m) {
      m = new Map();
      this.models.set(name, m);
    }
    return m;
  }
}

export class MemoryAdapter {
  private readonly rows: Map<string, Payload>;
  constructor(
    private readonly name: string,
    private readonly store: AdapterStore,
  ) {
    this.rows = store.model(name);
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const copy: Payload = { ...payload };
    if (expiresIn && copy.exp === undefined) copy.exp = Math.floor(Date.now() / 1000) + expiresIn;
    this.rows.set(id, copy);
  }

  async find(id: string): Promise<Payload | undefined> {
    const row = this.rows.get(id);
    return row ? { ...row } : undefined;
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    for (const row of this.rows.values()) if (row.userCode === userCode) return { ...row };
    return undefined;
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    for (const row of this.rows.values()) if (row.uid === uid) return { ...row };
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const row = this.rows.get(id);
    if (row) row.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const model of this.store.models.values()) {
      for (const [id, row] of model) if (row.grantId === grantId) model.delete(id);
    }
  }

  toString(): string {
    return `MemoryAdapter(${this.name})`;
  }
}
