import { describe, expect, it } from 'vitest';
import {
  buildSecuritySetting,
  DEFAULT_CAPABILITIES,
  parseRegistryMultiBinary,
  parseSecuritySetting,
  registryMultiBinary,
  securitySettingName,
  TAG,
} from './outlook-security-profile';

const sign = '0102030405060708090a0b0c0d0e0f1011121314';
const enc = 'a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4';
const hex = (...parts: string[]) => Buffer.from(parts.join('').replace(/\s/g, ''), 'hex');

// The layout written out by hand from the documented table: WORD tag, WORD size (incl. these 4 bytes), value.
const expectedSetting = hex(
  '0100 0800 01000000', // PR_CERT_PROP_VERSION = 1
  '0600 0800 01000000', // PR_CERT_MESSAGE_ENCODING = 1 (S/MIME)
  '2000 0800 07000000', // PR_CERT_DEFAULTS = default for S/MIME | for all formats | send certificates
  '0b00 0800 4b 54 21 00', // PR_CERT_DISPLAY_NAME_A "KT!" + NUL
  '5100 0c00 4b00 5400 2100 0000', // PR_CERT_DISPLAY_NAME_W "KT!" + NUL
  '2200 1800',
  enc, // PR_CERT_KEYEX_SHA1_HASH
  '0900 1800',
  sign, // PR_CERT_SIGN_SHA1_HASH
  '0200 5400', // PR_CERT_ASYMETRIC_CAPS, 4 + 80 bytes:
  '30 4e',
  '300b 0609 608648016503040201', // sha256
  '300b 0609 608648016503040202', // sha384
  '300b 0609 608648016503040203', // sha512
  '300b 0609 60864801650304012a', // aes256-CBC
  '300b 0609 608648016503040116', // aes192-CBC
  '300b 0609 608648016503040102', // aes128-CBC
);

describe('Outlook security setting (PR_SECURITY_PROFILES)', () => {
  it('one setting, byte for byte', () => {
    const b = buildSecuritySetting({ name: 'KT!', signingSha1: sign, encryptionSha1: enc, isDefault: true });
    expect(b.toString('hex')).toBe(expectedSetting.toString('hex'));
    expect(DEFAULT_CAPABILITIES).toHaveLength(80);
  });

  it('not the default: only "send certificates"; a non-ASCII name is kept in UTF-16, "?" in the ANSI copy', () => {
    const b = buildSecuritySetting({ name: 'Zoë', signingSha1: sign, encryptionSha1: sign, isDefault: false });
    const props = parseSecuritySetting(b)!;
    expect(props.get(TAG.defaults)!.readInt32LE(0)).toBe(4);
    expect(props.get(TAG.nameA)!.toString('latin1')).toBe('Zo?\0');
    expect(securitySettingName(props)).toBe('Zoë');
    expect(() => buildSecuritySetting({ name: 'x', signingSha1: 'abcd', encryptionSha1: sign, isDefault: true })).toThrow(
      /20-byte SHA-1/,
    );
  });

  it('registry container, x64: count, {cb, padding, 8-byte offset}, data, zero padding to 16 bytes', () => {
    const setting = Buffer.from(expectedSetting);
    const b = registryMultiBinary([setting], 'x64');
    const len = setting.length; // 3*8 + 8 + 12 + 2*24 + 84 = 176
    expect(len).toBe(176);
    const head = hex('01000000', 'b0000000 00000000', '1400000000000000');
    expect(b.subarray(0, 20)).toEqual(head);
    expect(b.subarray(20, 20 + len)).toEqual(setting);
    expect(b.length).toBe(208); // 196 → next multiple of 16
    expect(b.subarray(20 + len).every((x) => x === 0)).toBe(true);
    expect(parseRegistryMultiBinary(b, 'x64')).toEqual([setting]);
  });

  it('registry container, x86: count, {cb, 4-byte offset}, data', () => {
    const setting = Buffer.from(expectedSetting);
    const b = registryMultiBinary([setting], 'x86');
    expect(b.subarray(0, 12)).toEqual(hex('01000000', 'b0000000', '0c000000'));
    expect(b.subarray(12, 12 + setting.length)).toEqual(setting);
    expect(b.length).toBe(192); // 188 → 192
    expect(parseRegistryMultiBinary(b, 'x86')).toEqual([setting]);
    // An already aligned body still gets a 16-byte block of padding, as the known writer does.
    expect(registryMultiBinary([Buffer.alloc(4)], 'x86')).toHaveLength(32);
  });

  it('refuses data that is not in this layout', () => {
    expect(parseRegistryMultiBinary(Buffer.from('ff000000', 'hex'), 'x64')).toBeUndefined();
    expect(parseRegistryMultiBinary(hex('01000000', '50000000', '0c000000'), 'x86')).toBeUndefined();
    expect(parseSecuritySetting(hex('0100 0200'))).toBeUndefined();
    expect(parseSecuritySetting(hex('0100 0800 0100'))).toBeUndefined();
  });
});
