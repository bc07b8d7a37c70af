export {
  createMailIntegration,
  type MailIntegration,
  type MailIntegrationDeps,
  type MailApplyReport,
  type DisclaimerChangeLike,
} from './mail-integration';
export { parseDisclaimerZip, DisclaimerZipError, type DisclaimerContent } from './disclaimer-zip';
export { sanitizeHtml } from './html-sanitize';
export * from './thunderbird';
export * from './outlook';
export { detectProfileLock } from './profile-lock';
