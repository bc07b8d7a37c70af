/** Shared PKI helpers for the simulators (KeyTalk, Online CA). Independent of app/. */
export * from './authority';
export * from './certificate';
export * from './csr';
export * from './keys';
export * from './names';
export * from './pkcs12';
export { writeFileAtomic } from './atomic-file';
