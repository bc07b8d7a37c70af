/**
 * Tests that need swtpm or a KDC skip when the part cannot run here, and say why on the console, so a
 * skipped hardware test is never mistaken for a passing one.
 */
export function reportSkip(suite: string, reason: string | undefined): boolean {
  if (reason) console.warn(`[skip] ${suite}: ${reason}`);
  return !!reason;
}
