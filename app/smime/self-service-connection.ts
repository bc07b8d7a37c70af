import { PublicApiClient } from '../public-api/client';
import { loadProvider } from '../rccd/provider-store';
import { createProviderAgent, providerTrustAnchors } from '../tls/provider-agent';

/** The Self-Service API's port in the KeyTalk documents. */
export const SSAPI_PORT = 3000;

export interface SelfServiceConnection {
  publicApi: PublicApiClient;
  ssapiBaseUrl: string;
  /** The provider's RCCD CAs: the only anchors trusted for the KeyTalk server's TLS certificate. */
  trustedCas: string[];
}

/**
 * Run `fn` with the Public API client and Self-Service API address of one imported provider; the TLS agent
 * (trusting only the provider's CAs) is destroyed afterwards. `ssapiUrl` overrides the default
 * https://<provider host>:3000 (CLI --ssapi-url, the agent's `ssapiUrl` option).
 */
export async function withSelfService<T>(
  home: string,
  provider: string,
  ssapiUrl: string | undefined,
  fn: (c: SelfServiceConnection) => Promise<T>,
): Promise<T> {
  const record = await loadProvider(home, provider);
  const agent = createProviderAgent(record);
  try {
    return await fn({
      publicApi: new PublicApiClient({ baseUrl: `https://${record.server}`, agent }),
      ssapiBaseUrl: ssapiUrl ?? `https://${new URL(`https://${record.server}`).hostname}:${SSAPI_PORT}`,
      trustedCas: providerTrustAnchors(record),
    });
  } finally {
    agent.destroy();
  }
}
