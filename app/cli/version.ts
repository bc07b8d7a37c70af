/** The agent's version, printed by `keytalk-agent version` and sent as caller-app-description. Kept in step with package.json. */
export const AGENT_VERSION = '0.1.0';
