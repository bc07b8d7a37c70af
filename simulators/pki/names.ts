import forge from 'node-forge';

/**
 * A certificate subject as the KeyTalk specs spell it (csr-requirements uses these short keys):
 * cn, c, st, l, o, ou/ous, e. Order in the encoded Name follows the order below.
 */
export interface SubjectFields {
  cn?: string;
  c?: string;
  st?: string;
  l?: string;
  o?: string;
  ou?: string;
  ous?: string[];
  e?: string;
}

const OID = {
  cn: '2.5.4.3',
  c: '2.5.4.6',
  st: '2.5.4.8',
  l: '2.5.4.7',
  o: '2.5.4.10',
  ou: '2.5.4.11',
  e: '1.2.840.113549.1.9.1',
} as const;

type Attr = { type: string; value: string; valueTagClass: number };

/** forge attribute list with explicit string types (e-mail must be IA5String, country PrintableString, rest UTF-8). */
export function subjectToForgeAttrs(subject: SubjectFields): Attr[] {
  const T = forge.asn1.Type;
  const out: Attr[] = [];
  // forge UTF-8-encodes UTF8String values itself when it writes the Name.
  const utf8 = (type: string, v: string) => out.push({ type, value: v, valueTagClass: T.UTF8 });
  if (subject.c) out.push({ type: OID.c, value: subject.c, valueTagClass: T.PRINTABLESTRING });
  if (subject.st) utf8(OID.st, subject.st);
  if (subject.l) utf8(OID.l, subject.l);
  if (subject.o) utf8(OID.o, subject.o);
  const ous = [...(subject.ous ?? []), ...(subject.ou ? [subject.ou] : [])];
  for (const ou of ous) utf8(OID.ou, ou);
  if (subject.cn) utf8(OID.cn, subject.cn);
  if (subject.e) out.push({ type: OID.e, value: subject.e, valueTagClass: T.IA5STRING });
  return out;
}

/** Decode forge-parsed RDN attributes back to SubjectFields (several OUs end up in `ous`). */
export function forgeAttrsToSubject(attrs: { type: string; value: unknown; valueTagClass?: number }[]): SubjectFields {
  const T = forge.asn1.Type;
  const s: SubjectFields = {};
  for (const a of attrs) {
    let v = typeof a.value === 'string' ? a.value : '';
    if (a.valueTagClass === T.UTF8) v = forge.util.decodeUtf8(v);
    else if (a.valueTagClass === T.BMPSTRING) v = Buffer.from(v, 'binary').swap16().toString('utf16le');
    switch (a.type) {
      case OID.cn:
        s.cn = v;
        break;
      case OID.c:
        s.c = v;
        break;
      case OID.st:
        s.st = v;
        break;
      case OID.l:
        s.l = v;
        break;
      case OID.o:
        s.o = v;
        break;
      case OID.ou:
        (s.ous ??= []).push(v);
        break;
      case OID.e:
        s.e = v;
        break;
      default:
        break;
    }
  }
  return s;
}
