/**
 * Node's file errors ("ENOENT: no such file or directory, open '/x'") as sentences that name the file and the
 * fix. A user who mistyped a path or pointed --home at a file should read what to do, not an errno.
 * Disk-full and read-only errors are app/system/disk-errors.ts (they mean "nothing was written", exit 10).
 */
const FILE_CODES = new Set(['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'EEXIST', 'ENAMETOOLONG', 'ELOOP']);

function verb(syscall: string | undefined): string {
  switch (syscall) {
    case 'open':
    case 'read':
      return 'open';
    case 'mkdir':
      return 'create the folder';
    case 'scandir':
    case 'opendir':
      return 'read the folder';
    case 'rename':
    case 'write':
    case 'copyfile':
      return 'write';
    case 'unlink':
    case 'rmdir':
    case 'rm':
      return 'remove';
    default:
      return 'use';
  }
}

/** The sentence for a file error (undefined for any other error). `file` names it when the error carries no path. */
export function describeFileError(err: unknown, file?: string): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e?.code || !FILE_CODES.has(e.code)) return undefined;
  const where = e.path ?? file ?? 'a file';
  const action = verb(e.syscall);
  switch (e.code) {
    case 'ENOENT':
      return `cannot ${action} ${where}: it does not exist; check the path (a relative path is taken from the current folder)`;
    case 'EISDIR':
      return `cannot ${action} ${where}: it is a folder, not a file; give the path of the file itself`;
    case 'ENOTDIR':
      return `cannot ${action} ${where}: part of that path is a file, not a folder; choose a path whose folders are folders`;
    case 'EACCES':
    case 'EPERM':
      return `cannot ${action} ${where}: permission denied; run as the user who owns it, or fix its owner or mode (chown, chmod)`;
    case 'EEXIST':
      return `cannot ${action} ${where}: something is already there; move it away or choose another path`;
    case 'ENAMETOOLONG':
      return `cannot ${action} ${where}: the path is too long; choose a shorter one`;
    default:
      return `cannot ${action} ${where}: too many symbolic links (a loop?); check the links on that path`;
  }
}
