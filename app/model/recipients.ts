/**
 * What a Self-Service recipient may look like. Dependency-free so the renderer's invitation form checks
 * exactly what the core (and the CLI) will check before anything goes to the server.
 */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MOBILE = /^\+?[0-9]{6,15}$/;

export const isRecipientEmail = (email: string): boolean => EMAIL.test(email.trim());

/** Spaces, brackets and dashes people type in phone numbers are dropped. */
export const normalizeMobile = (mobile: string): string => mobile.replace(/[\s()-]/g, '');

export const isRecipientMobile = (mobile: string): boolean => MOBILE.test(normalizeMobile(mobile));
