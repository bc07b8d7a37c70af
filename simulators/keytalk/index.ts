/** KeyTalk server simulator: programmatic entry point. See README.md. */
export { startKeytalkSimulator, type KeytalkSimulator, type KeytalkSimulatorOptions } from './server';
export { parseFixture, loadFixtureFile, type Fixture, type FixtureInput } from './fixture';
