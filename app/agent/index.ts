/**
 * The agent core (`app/agent`): what main, the browser host and tests import. createAgent() composes one
 * handlers module per area (see create-agent.ts); the shapes it returns are in agent-types.ts.
 */
export { createAgent } from './create-agent';
export type { AgentCore, AgentOptions, AgentRuntime, OnIssued, StartedFlow } from './agent-types';
export { readSettings } from './settings';
export { disclaimerPreview } from './disclaimer-handlers';
