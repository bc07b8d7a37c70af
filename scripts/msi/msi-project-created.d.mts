// Types for scripts/msi/msi-project-created.mjs (so its test can call it in-process).
export const PROVISION_SCRIPT: string;
export function addProvisioning(xml: string): string;
export function msiProjectCreated(projectFile: string): Promise<void>;
export default msiProjectCreated;
