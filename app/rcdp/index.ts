export { RcdpClient, type RcdpClientOptions } from './client';
export * from './errors';
export { rcdpJson } from './json-param';
export * from './schemas';
export * from './versions';
