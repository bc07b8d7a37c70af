import { stat } from 'node:fs/promises';

/**
 * Whether a policy file or folder can be trusted on Linux and macOS. The policy decides which providers every user
 * (and the root daemon) trusts — its rccd/ folder installs servers and their CAs — so a policy another local user
 * could write would let that user send everyone's sign-ins to a server of their own. Like sshd's StrictModes and
 * sudo's sudoers check, a path is refused when it is owned by someone other than root or this process's user, or
 * writable by others (or by a group other than root's). The target of a symlink is what is checked.
 *
 * Returns the reason to refuse, or undefined when the path is safe or absent. On Windows nothing is checked here:
 * the policy registry keys are admin-only, and %ProgramData%\KeyTalk Agent — whose ProgramData default would let any
 * user add files — is locked down by the installers (owner Administrators, only SYSTEM and Administrators write:
 * scripts/msi/keytalk-provision.jscript lockFolder, scripts/nsis/keytalk-provision.nsh). The agent does not read
 * the ACL itself, so a folder made without the installer is only as safe as whoever made it.
 */
export async function unsafePolicyPath(file: string, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  if (platform === 'win32') return undefined;
  let st;
  try {
    st = await stat(file);
  } catch {
    return undefined;
  }
  const me = process.geteuid?.();
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  if (st.uid !== 0 && st.uid !== me) return `is owned by user id ${st.uid}, not by root; ignored (chown root ${file})`;
  if (st.mode & 0o002) return `is writable by every user (mode ${mode}); ignored (chmod o-w ${file})`;
  if (st.mode & 0o020 && st.gid !== 0) return `is writable by group id ${st.gid} (mode ${mode}); ignored (chmod g-w ${file})`;
  return undefined;
}
