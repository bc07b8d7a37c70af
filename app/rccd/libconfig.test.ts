import { describe, expect, it } from 'vitest';
import { parseLibconfig } from './libconfig';

describe('parseLibconfig', () => {
  it('reads a KeyTalk user.ini with lists, groups, arrays and comments', () => {
    const cfg = parseLibconfig(`# user settings
ConfigVersion = "1.0";
LatestProvider = "Provider1";
/* block
   comment */
Providers :
(
  {
    Name = "Provider1";
    ContentVersion = 2010080411;
    Server = "demo.keytalk.com:8443"; // trailing comment
    CAs = [ "UCA", "SCA", "PCA" ];
    Services :
    (
      { Name = "Service1"; CertValidPercent = 25; CertFormat = "P12"; CertChain = true; Uri = "https://x/"; Users = [ "DemoUser" ]; },
      { Name = "Service2"; Ratio = 0.5; Big = 0x10L; Neg = -3; Off = FALSE; }
    );
  }
);
Joined = "a" "b"
  "c\\t\\"q\\"";
`);
    expect(cfg.ConfigVersion).toBe('1.0');
    const providers = cfg.Providers as Array<Record<string, unknown>>;
    expect(providers).toHaveLength(1);
    expect(providers[0]!.ContentVersion).toBe(2010080411);
    expect(providers[0]!.CAs).toEqual(['UCA', 'SCA', 'PCA']);
    const services = providers[0]!.Services as Array<Record<string, unknown>>;
    expect(services[0]).toEqual({
      Name: 'Service1',
      CertValidPercent: 25,
      CertFormat: 'P12',
      CertChain: true,
      Uri: 'https://x/',
      Users: ['DemoUser'],
    });
    expect(services[1]).toEqual({ Name: 'Service2', Ratio: 0.5, Big: 16, Neg: -3, Off: false });
    expect(cfg.Joined).toBe('abc\t"q"');
  });

  it('names the line of a syntax error', () => {
    expect(() => parseLibconfig('A = 1;\nB = unquoted;\n', 'user.ini')).toThrow(
      /user.ini: libconfig syntax error on line 2: unexpected value "unquoted"/,
    );
    expect(() => parseLibconfig('A = "open')).toThrow(/unterminated string/);
    expect(() => parseLibconfig('G = { A = 1;')).toThrow(/missing "}"/);
    expect(() => parseLibconfig('@include "/etc/passwd"')).toThrow(/@include/);
    expect(() => parseLibconfig('A = 1; A = 2;')).toThrow(/duplicate setting A/);
    expect(() => parseLibconfig('A = ' + '['.repeat(100))).toThrow(/too deep/);
  });
});
