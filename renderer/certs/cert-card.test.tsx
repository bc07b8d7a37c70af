import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CertificateSummary } from '../../app/ipc/contract';
import { fakeApi, renderWithStore } from '../../test-support/renderer/test-utils';
import { applyLanguageSetting } from '../i18n/i18n';
import { CertificatesPage } from '../pages/CertificatesPage';

const base: CertificateSummary = {
  sha256Fingerprint: 'AB'.repeat(32),
  serialNumber: '01',
  subject: 'emailAddress=alice@acme.test, CN=Alice Smith',
  issuer: 'CN=Acme CA',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2099-01-01T00:00:00Z',
  provider: 'Acme',
  service: 'EMAIL',
  stores: ['file'],
};
const fp = (c: string) => c.repeat(64);

async function show(certs: CertificateSummary[]) {
  const { api } = fakeApi({ 'certs:list': () => certs });
  const { store } = renderWithStore(<CertificatesPage />, api, 'certificates');
  await act(() => store.getState().load());
}

describe('certificate cards people recognise', () => {
  it('titles each card with what it is for and whose it is', async () => {
    await show([
      { ...base, uses: ['smime'] },
      { ...base, sha256Fingerprint: fp('C'), subject: 'CN=laptop-17', uses: ['client-auth'] },
      { ...base, sha256Fingerprint: fp('D'), subject: 'CN=www.acme.test', uses: ['server-auth'] },
      { ...base, sha256Fingerprint: fp('E'), subject: 'CN=Build', uses: ['code-signing'] },
      { ...base, sha256Fingerprint: fp('F'), subject: 'CN=Bob', uses: ['smime-signing', 'client-auth'] },
      { ...base, sha256Fingerprint: fp('1'), subject: 'CN=Nothing said' },
    ]);
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'E-mail signing & encryption (S/MIME) — Alice Smith',
      'Client authentication — laptop-17',
      'Server (TLS) — www.acme.test',
      'Code signing — Build',
      'E-mail signing (S/MIME) + Client authentication — Bob',
      'Nothing said',
    ]);
  });

  it('labels shared-mailbox certificates in words; historical ones (kept to read old mail) only under "Previous"', async () => {
    await show([
      { ...base, uses: ['smime'], sharedMailbox: 'sales@acme.test', subject: 'emailAddress=sales@acme.test' },
      { ...base, sha256Fingerprint: fp('C'), uses: ['smime-encryption'], historical: true, sharedMailbox: 'sales@acme.test' },
      { ...base, sha256Fingerprint: fp('D'), uses: ['smime'] },
    ]);
    const cards = screen.getAllByRole('heading', { level: 3 }).map((h) => h.closest('li')!);
    expect(cards).toHaveLength(2);
    expect(within(cards[0]!).getByTestId('cert-shared-mailbox').textContent).toBe('Shared mailbox sales@acme.test');
    expect(within(cards[1]!).queryByTestId('cert-shared-mailbox')).toBeNull();
    expect(screen.queryByTestId('cert-historical')).toBeNull();
    const previous = screen.getByTestId('previous-certs');
    expect(within(previous).getByText('Previous certificates (1)')).toBeTruthy();
    expect(within(previous).getByTestId('previous-historical').textContent).toMatch(/^Historical/);
    expect(previous.textContent).toMatch(/keep their keys/);
    expect(within(previous).getByTestId('previous-cert').textContent).toMatch(/Shared mailbox sales@acme\.test/);
  });

  it('names the PKCS#11 token through which programs use a TPM key (tpm2-pkcs11 in NSS)', async () => {
    await show([
      { ...base, keyLocations: ['tpm'], pkcs11Tokens: ['KeyTalk'] },
      { ...base, sha256Fingerprint: fp('C'), keyLocations: ['tpm'] },
    ]);
    const cards = screen.getAllByRole('listitem');
    expect(within(cards[0]!).getByTestId('cert-key-location').textContent).toBe('in the TPM (cannot be exported)');
    expect(within(cards[0]!).getByTestId('cert-pkcs11-token').textContent).toBe(
      'KeyTalk (browsers and other PKCS#11 programs use the key in the TPM through it)',
    );
    expect(within(cards[1]!).queryByTestId('cert-pkcs11-token')).toBeNull();
  });

  it('says in the details whether the server attested the TPM key (Public API is-cert-tpm-attested)', async () => {
    await show([
      { ...base, keyLocations: ['tpm'], tpmAttested: true },
      { ...base, sha256Fingerprint: fp('C'), keyLocations: ['tpm'], tpmAttested: false },
      { ...base, sha256Fingerprint: fp('D') },
    ]);
    const cards = screen.getAllByRole('listitem');
    expect(within(cards[0]!).getByTestId('cert-tpm-attested').textContent).toBe('confirmed by the server');
    expect(within(cards[1]!).getByTestId('cert-tpm-attested').textContent).toBe('not confirmed by the server');
    expect(within(cards[2]!).queryByTestId('cert-tpm-attested')).toBeNull();
  });

  it('shows one card per current certificate; replaced ones only under a collapsed "Previous certificates"', async () => {
    await show([
      { ...base, uses: ['smime'] },
      { ...base, sha256Fingerprint: fp('C'), stores: [], replacedBy: base.sha256Fingerprint, replacedAt: '2026-06-01T00:00:00Z' },
      { ...base, sha256Fingerprint: fp('D'), stores: [], replacedBy: fp('C') },
    ]);
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(1);
    const previous = screen.getByTestId('previous-certs');
    expect(previous.hasAttribute('open')).toBe(false);
    expect(within(previous).getByText('Previous certificates (2)')).toBeTruthy();
    await userEvent.click(within(previous).getByText('Previous certificates (2)'));
    expect(previous.hasAttribute('open')).toBe(true);
    const items = within(previous).getAllByTestId('previous-cert');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toMatch(/Alice Smith.*Acme · EMAIL.*replaced on/);
    // A previous certificate is in no store: nothing to renew, export or remove.
    expect(within(previous).queryByRole('button')).toBeNull();
  });

  it('no "Previous certificates" when nothing was replaced', async () => {
    await show([base]);
    expect(screen.queryByTestId('previous-certs')).toBeNull();
  });
  it('says why it renews then and why the last renewal failed in the user language from their codes, English only when uncoded', async () => {
    const renewal = {
      renewAt: '2099-01-01T12:00:00Z',
      renewReason: 'waiting for you to renew (reminder 2; next in 30 min)',
      renewReasonText: { code: 'renewal.waiting-for-user', params: { reminder: 2, seconds: 1800 }, message: 'waiting…' },
    };
    const coded = {
      ...base,
      ...renewal,
      renewErrorText: { code: 'network.refused', params: { host: 'ca.acme.test' }, message: 'network: ca.acme.test refused' },
    };
    const plain = {
      ...base,
      sha256Fingerprint: fp('C'),
      renewAt: '2099-01-01T12:00:00Z',
      renewReason: 'retrying later',
      renewErrorText: { code: 'uncoded', message: 'boom' },
    };
    const renewals = () => screen.getAllByTestId('cert-renewal').map((d) => d.textContent);
    try {
      act(() => void applyLanguageSetting('nl'));
      await show([coded, plain]);
      expect(renewals()[0]).toMatch(
        /\(wacht tot u vernieuwt \(herinnering 2; de volgende over 30 minuten\); laatste poging: ca\.acme\.test weigerde de verbinding\. Draait de server en klopt het adres in het providerbestand\?\)$/,
      );
      expect(renewals()[1]).toMatch(/\(retrying later; laatste poging: boom\)$/);
      act(() => void applyLanguageSetting('de'));
      await show([coded]);
      expect(renewals().at(-1)).toMatch(
        /\(wartet darauf, dass Sie erneuern \(Erinnerung 2; nächste in 30 Minuten\); letzter Versuch: ca\.acme\.test hat die Verbindung abgelehnt\. Läuft der Server, und stimmt die Adresse in der Anbieterdatei\?\)$/,
      );
    } finally {
      act(() => void applyLanguageSetting('en'));
    }
  });
});
