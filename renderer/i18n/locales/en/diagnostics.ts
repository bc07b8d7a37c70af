/** English texts of the helpdesk diagnostics in Settings (connection test and its checks). */
export const diagnostics = {
  diagnostics: {
    title: 'Diagnostics for the helpdesk',
    testConnection: 'Test connection',
    createBundle: 'Create support bundle',
    bundleReady: 'Support bundle downloaded; send it to your helpdesk',
    allPassed: 'All checks passed',
    someFailed: 'Some checks failed; start with the first one marked Failed',
    status: { pass: 'OK', warn: 'Warning', fail: 'Failed', skip: 'Skipped' },
    thisComputer: 'This computer',
    columns: { where: 'Where', check: 'Check', result: 'Result', details: 'Details' },
    checks: {
      dns: 'Name lookup (DNS)',
      tcp: 'Connection',
      tls: 'Server certificate (TLS)',
      rcdp: 'KeyTalk protocol',
      clock: 'Clock',
      'public-api': 'Server version',
      health: 'Server health',
      home: 'Agent folder',
      store: 'Certificate store',
      'secret-store': 'Saved passwords',
      policy: 'Organisation policy',
      daemon: 'Background service',
      providers: 'Providers',
    },
  },
};
