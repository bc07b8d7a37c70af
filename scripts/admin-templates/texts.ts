import type { PolicyKey } from '../../app/policy/schema';

/** One language's words for a policy: its title in the Group Policy editor, its explanation, and an input label. */
export interface PolicyText {
  title: string;
  help: string;
  label?: string;
}

export const languages = ['en-US', 'nl-NL', 'de-DE'] as const;
export type Language = (typeof languages)[number];

/** Words that are not a policy: the ADMX categories, the "supported on" line, enum item names. */
export const commonTexts: Record<Language, Record<string, string>> = {
  'en-US': {
    KeyTalk: 'KeyTalk',
    KeyTalkAgent: 'KeyTalk Agent',
    SUPPORTED_KeyTalkAgent: 'KeyTalk Agent 0.1 or later',
    description: 'Policies for the KeyTalk Agent certificate enrollment and renewal agent.',
    level_error: 'Errors only',
    level_warn: 'Warnings and errors',
    level_info: 'Information',
    level_debug: 'Debug (verbose)',
    channel_stable: 'Stable',
    channel_beta: 'Beta',
  },
  'nl-NL': {
    KeyTalk: 'KeyTalk',
    KeyTalkAgent: 'KeyTalk Agent',
    SUPPORTED_KeyTalkAgent: 'KeyTalk Agent 0.1 of nieuwer',
    description: 'Beleid voor de KeyTalk Agent, die certificaten aanvraagt en vernieuwt.',
    level_error: 'Alleen fouten',
    level_warn: 'Waarschuwingen en fouten',
    level_info: 'Informatie',
    level_debug: 'Foutopsporing (uitgebreid)',
    channel_stable: 'Stabiel',
    channel_beta: 'Bèta',
  },
  'de-DE': {
    KeyTalk: 'KeyTalk',
    KeyTalkAgent: 'KeyTalk Agent',
    SUPPORTED_KeyTalkAgent: 'KeyTalk Agent 0.1 oder neuer',
    description: 'Richtlinien für den KeyTalk Agent, der Zertifikate beantragt und erneuert.',
    level_error: 'Nur Fehler',
    level_warn: 'Warnungen und Fehler',
    level_info: 'Informationen',
    level_debug: 'Debug (ausführlich)',
    channel_stable: 'Stabil',
    channel_beta: 'Beta',
  },
};

/**
 * Every policy key in every language. Typed as a full record so a new schema key without its words is a compile
 * error in `npm run typecheck`, not a template that silently lacks the key.
 */
export const policyTexts: Record<PolicyKey, Record<Language, PolicyText>> = {
  providers: {
    'en-US': {
      title: 'Provisioned providers (RCCD files)',
      help: 'RCCD files the agent imports at start for every user, one per line: an absolute path, or a KeyTalk server to fetch the RCCD from as JSON: {"server":"keytalk.example.com","uid":"RCCD-UID","sha256":"pinned SHA-256 of the server CA"}. Users cannot remove these providers. RCCD files in the policy folder are always imported as well.',
      label: 'RCCD paths or servers (one per line)',
    },
    'nl-NL': {
      title: 'Vooraf ingestelde providers (RCCD-bestanden)',
      help: 'RCCD-bestanden die de agent bij het starten voor elke gebruiker importeert, één per regel: een absoluut pad, of een KeyTalk-server waarvan de RCCD wordt opgehaald, als JSON: {"server":"keytalk.example.com","uid":"RCCD-UID","sha256":"vastgelegde SHA-256 van de server-CA"}. Gebruikers kunnen deze providers niet verwijderen. RCCD-bestanden in de beleidsmap worden altijd ook geïmporteerd.',
      label: 'RCCD-paden of servers (één per regel)',
    },
    'de-DE': {
      title: 'Vorgegebene Anbieter (RCCD-Dateien)',
      help: 'RCCD-Dateien, die der Agent beim Start für jeden Benutzer importiert, eine pro Zeile: ein absoluter Pfad oder ein KeyTalk-Server, von dem die RCCD geladen wird, als JSON: {"server":"keytalk.example.com","uid":"RCCD-UID","sha256":"festgelegter SHA-256 der Server-CA"}. Benutzer können diese Anbieter nicht entfernen. RCCD-Dateien im Richtlinienordner werden immer ebenfalls importiert.',
      label: 'RCCD-Pfade oder Server (einer pro Zeile)',
    },
  },
  defaultStores: {
    'en-US': {
      title: 'Default certificate stores',
      help: 'Stores the agent uses while the user has not chosen any (store ids as listed by "keytalk-agent stores": file, nss, firefox, windows-user, ...).',
      label: 'Store ids (one per line)',
    },
    'nl-NL': {
      title: 'Standaard certificaatopslagen',
      help: 'Opslagen die de agent gebruikt zolang de gebruiker er geen heeft gekozen (opslag-id\'s zoals "keytalk-agent stores" ze toont: file, nss, firefox, windows-user, ...).',
      label: "Opslag-id's (één per regel)",
    },
    'de-DE': {
      title: 'Standard-Zertifikatspeicher',
      help: 'Speicher, die der Agent verwendet, solange der Benutzer keine gewählt hat (Speicher-IDs wie von "keytalk-agent stores" aufgelistet: file, nss, firefox, windows-user, ...).',
      label: 'Speicher-IDs (eine pro Zeile)',
    },
  },
  allowedStores: {
    'en-US': {
      title: 'Allowed certificate stores',
      help: "The only stores a user may enable. Other stores in the user's settings are ignored.",
      label: 'Store ids (one per line)',
    },
    'nl-NL': {
      title: 'Toegestane certificaatopslagen',
      help: 'De enige opslagen die een gebruiker mag inschakelen. Andere opslagen in de instellingen van de gebruiker worden genegeerd.',
      label: "Opslag-id's (één per regel)",
    },
    'de-DE': {
      title: 'Zulässige Zertifikatspeicher',
      help: 'Die einzigen Speicher, die ein Benutzer aktivieren darf. Andere Speicher in den Einstellungen des Benutzers werden ignoriert.',
      label: 'Speicher-IDs (eine pro Zeile)',
    },
  },
  lockedStores: {
    'en-US': {
      title: 'Lock the certificate stores',
      help: 'Enables exactly these stores and prevents users from changing them. The agent shows "Managed by your organisation" next to the setting.',
      label: 'Store ids (one per line)',
    },
    'nl-NL': {
      title: 'Certificaatopslagen vergrendelen',
      help: 'Schakelt precies deze opslagen in en voorkomt dat gebruikers ze wijzigen. De agent toont "Beheerd door uw organisatie" bij de instelling.',
      label: "Opslag-id's (één per regel)",
    },
    'de-DE': {
      title: 'Zertifikatspeicher sperren',
      help: 'Aktiviert genau diese Speicher und verhindert, dass Benutzer sie ändern. Der Agent zeigt "Von Ihrer Organisation verwaltet" neben der Einstellung.',
      label: 'Speicher-IDs (eine pro Zeile)',
    },
  },
  lockedAutostart: {
    'en-US': {
      title: 'Lock "Start at login"',
      help: 'Enabled: the agent always starts at login. Disabled: it never does. Not configured: the user decides.',
    },
    'nl-NL': {
      title: '"Starten bij aanmelden" vergrendelen',
      help: 'Ingeschakeld: de agent start altijd bij het aanmelden. Uitgeschakeld: nooit. Niet geconfigureerd: de gebruiker beslist.',
    },
    'de-DE': {
      title: '"Bei Anmeldung starten" sperren',
      help: 'Aktiviert: Der Agent startet immer bei der Anmeldung. Deaktiviert: nie. Nicht konfiguriert: Der Benutzer entscheidet.',
    },
  },
  lockedLogLevel: {
    'en-US': { title: 'Lock the log level', help: 'Sets the log level and prevents users from changing it.', label: 'Log level' },
    'nl-NL': {
      title: 'Logniveau vergrendelen',
      help: 'Stelt het logniveau in en voorkomt dat gebruikers het wijzigen.',
      label: 'Logniveau',
    },
    'de-DE': {
      title: 'Protokollstufe sperren',
      help: 'Legt die Protokollstufe fest und verhindert, dass Benutzer sie ändern.',
      label: 'Protokollstufe',
    },
  },
  lockedScannerConsent: {
    'en-US': {
      title: 'Lock the certificate scanner consent',
      help: 'Enabled: the agent reports existing certificates to every server that asks, without asking the user. Disabled: it never scans. Not configured: the user decides.',
    },
    'nl-NL': {
      title: 'Toestemming voor de certificaatscanner vergrendelen',
      help: 'Ingeschakeld: de agent meldt bestaande certificaten aan elke server die erom vraagt, zonder het de gebruiker te vragen. Uitgeschakeld: de agent scant nooit. Niet geconfigureerd: de gebruiker beslist.',
    },
    'de-DE': {
      title: 'Zustimmung zum Zertifikatscanner sperren',
      help: 'Aktiviert: Der Agent meldet vorhandene Zertifikate an jeden Server, der danach fragt, ohne den Benutzer zu fragen. Deaktiviert: Er scannt nie. Nicht konfiguriert: Der Benutzer entscheidet.',
    },
  },
  neverUploadPrivateKeys: {
    'en-US': {
      title: 'Never upload private keys',
      help: 'Enabled: private keys never leave the machine, whatever a server asks or a user consents to.',
    },
    'nl-NL': {
      title: 'Nooit privésleutels uploaden',
      help: 'Ingeschakeld: privésleutels verlaten de computer nooit, wat een server ook vraagt of een gebruiker ook toestaat.',
    },
    'de-DE': {
      title: 'Private Schlüssel nie hochladen',
      help: 'Aktiviert: Private Schlüssel verlassen den Computer nie, unabhängig davon, was ein Server verlangt oder ein Benutzer erlaubt.',
    },
  },
  lockedRememberSecrets: {
    'en-US': {
      title: 'Lock "Remember" for passwords and sign-ins',
      help: 'Enabled: users may let the agent remember passwords and MFA sign-ins. Disabled: the agent never remembers them (recommended where the OS secret store gives no real protection).',
    },
    'nl-NL': {
      title: '"Onthouden" van wachtwoorden en aanmeldingen vergrendelen',
      help: 'Ingeschakeld: gebruikers mogen de agent wachtwoorden en MFA-aanmeldingen laten onthouden. Uitgeschakeld: de agent onthoudt ze nooit (aanbevolen waar de geheimenopslag van het besturingssysteem geen echte bescherming biedt).',
    },
    'de-DE': {
      title: '"Merken" von Kennwörtern und Anmeldungen sperren',
      help: 'Aktiviert: Benutzer dürfen den Agent Kennwörter und MFA-Anmeldungen merken lassen. Deaktiviert: Der Agent merkt sie sich nie (empfohlen, wo der Geheimnisspeicher des Betriebssystems keinen echten Schutz bietet).',
    },
  },
  renewalMarginFloorDays: {
    'en-US': {
      title: 'Minimum renewal margin (days)',
      help: 'Renewal starts at least this many days before a certificate expires, even when the server or the user asks for a shorter margin (0–365).',
      label: 'Days before expiry',
    },
    'nl-NL': {
      title: 'Minimale vernieuwingsmarge (dagen)',
      help: 'Vernieuwen begint minstens zoveel dagen voordat een certificaat verloopt, ook als de server of de gebruiker om een kortere marge vraagt (0–365).',
      label: 'Dagen voor het verlopen',
    },
    'de-DE': {
      title: 'Mindestvorlauf für die Erneuerung (Tage)',
      help: 'Die Erneuerung beginnt mindestens so viele Tage vor dem Ablauf eines Zertifikats, auch wenn der Server oder der Benutzer einen kürzeren Vorlauf verlangt (0–365).',
      label: 'Tage vor dem Ablauf',
    },
  },
  updateChannel: {
    'en-US': { title: 'Update channel', help: 'Which releases the agent updates to.', label: 'Channel' },
    'nl-NL': { title: 'Updatekanaal', help: 'Naar welke versies de agent bijwerkt.', label: 'Kanaal' },
    'de-DE': { title: 'Updatekanal', help: 'Auf welche Versionen der Agent aktualisiert.', label: 'Kanal' },
  },
  updatesDisabled: {
    'en-US': {
      title: 'Turn off automatic updates',
      help: 'Enabled: the agent never updates itself; IT deploys new versions (for example as an MSI).',
    },
    'nl-NL': {
      title: 'Automatische updates uitschakelen',
      help: 'Ingeschakeld: de agent werkt zichzelf nooit bij; IT verspreidt nieuwe versies (bijvoorbeeld als MSI).',
    },
    'de-DE': {
      title: 'Automatische Updates deaktivieren',
      help: 'Aktiviert: Der Agent aktualisiert sich nie selbst; die IT verteilt neue Versionen (zum Beispiel als MSI).',
    },
  },
  telemetryDisabled: {
    'en-US': {
      title: 'Turn off telemetry',
      help: 'Enabled: the agent sends no telemetry. (It sends none today; this pins that.)',
    },
    'nl-NL': {
      title: 'Telemetrie uitschakelen',
      help: 'Ingeschakeld: de agent verstuurt geen telemetrie. (Dat doet hij nu ook niet; dit legt dat vast.)',
    },
    'de-DE': {
      title: 'Telemetrie deaktivieren',
      help: 'Aktiviert: Der Agent sendet keine Telemetrie. (Er sendet heute keine; dies legt das fest.)',
    },
  },
  supportContact: {
    'en-US': {
      title: 'Support contact',
      help: 'Who users contact for help; shown in the agent and in "keytalk-agent status" (up to 500 characters).',
      label: 'Contact',
    },
    'nl-NL': {
      title: 'Contact voor ondersteuning',
      help: 'Met wie gebruikers contact opnemen voor hulp; getoond in de agent en in "keytalk-agent status" (maximaal 500 tekens).',
      label: 'Contact',
    },
    'de-DE': {
      title: 'Support-Kontakt',
      help: 'An wen sich Benutzer für Hilfe wenden; angezeigt im Agent und in "keytalk-agent status" (bis zu 500 Zeichen).',
      label: 'Kontakt',
    },
  },
  autoEnroll: {
    'en-US': {
      title: 'Enroll at first start',
      help: 'A JSON list of the certificates the agent enrolls at first start, for example [{"provider":"Acme","service":"Employees"}]. Where the agent can sign in silently it enrolls; otherwise it asks the user once.',
      label: 'JSON list',
    },
    'nl-NL': {
      title: 'Aanvragen bij de eerste start',
      help: 'Een JSON-lijst van de certificaten die de agent bij de eerste start aanvraagt, bijvoorbeeld [{"provider":"Acme","service":"Employees"}]. Waar de agent zonder tussenkomst kan aanmelden, vraagt hij aan; anders vraagt hij het de gebruiker één keer.',
      label: 'JSON-lijst',
    },
    'de-DE': {
      title: 'Beim ersten Start beantragen',
      help: 'Eine JSON-Liste der Zertifikate, die der Agent beim ersten Start beantragt, zum Beispiel [{"provider":"Acme","service":"Employees"}]. Wo sich der Agent ohne Eingriff anmelden kann, beantragt er; sonst fragt er den Benutzer einmal.',
      label: 'JSON-Liste',
    },
  },
};
