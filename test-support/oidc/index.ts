export { startTestIdp, type TestIdp, type TestIdpOptions, type TestUser, type GrantEvent } from './test-idp';
export { makeTestTls, type TestTls } from './test-ca';
