// File-system failures as a user reads them: the path, what is wrong with it and what to do. Raw
// errno text ("EACCES: permission denied, open '…'") says neither what the file was for nor the fix.
// JSON that does not parse is described by its position only: V8's message quotes the text around
// the fault, and an error must never quote a file's contents (a spec pointing at /etc/shadow).

const FIX: Record<string, { read: string; write: string }> = {
  ENOENT: { read: 'no such file', write: 'its folder does not exist; create it or choose another path' },
  EISDIR: { read: 'is a folder, not a file', write: 'is a folder; give a file path' },
  ENOTDIR: { read: 'a part of the path is a file, not a folder', write: 'a part of the path is a file, not a folder' },
  EEXIST: { read: 'already exists', write: 'already exists; choose another path (or pass --force to replace it)' },
  EACCES: { read: 'permission denied; check its permissions (ls -l) or run as its owner', write: 'permission denied; check the folder\'s permissions or choose another path' },
  EPERM: { read: 'operation not permitted; check its permissions', write: 'operation not permitted; check the folder\'s permissions or choose another path' },
  ELOOP: { read: 'a symbolic link that loops; fix or remove the link', write: 'a symbolic link that loops; fix or remove the link' },
  ENAMETOOLONG: { read: 'the path is too long', write: 'the path is too long' },
  ENOSPC: { read: 'no space left on the device', write: 'no space left on the device; free some and try again' },
  EROFS: { read: 'on a read-only file system', write: 'on a read-only file system; choose another path' },
  EMFILE: { read: 'too many open files; close some programs and try again', write: 'too many open files; close some programs and try again' },
};

/** What is wrong and the fix, for an errno error; its code (or message) for anything else. */
export function fileProblem(e: unknown, doing: 'read' | 'write'): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const fix = code && Object.hasOwn(FIX, code) ? FIX[code] : undefined;
  return fix ? fix[doing] : `cannot ${doing} it (${code ?? (e instanceof Error ? e.message : String(e))})`;
}

/** "<file>: <what is wrong>; <the fix>". */
export function describeFileError(e: unknown, file: string, doing: 'read' | 'write'): string {
  return `${file}: ${fileProblem(e, doing)}`;
}

/** An error whose message is describeFileError's; the errno code stays readable. */
export class FileError extends Error {
  readonly code?: string;
  constructor(e: unknown, readonly file: string, doing: 'read' | 'write') {
    super(describeFileError(e, file, doing));
    this.name = 'FileError';
    this.code = (e as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** Where JSON.parse stopped, as "line L, column C", without the text there. */
export function jsonFaultPosition(text: string, e: unknown): string {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  if (!m) return /end of JSON input/i.test(e instanceof Error ? e.message : '') ? 'it ends too early' : 'it is not valid JSON';
  const at = Math.min(Number(m[1]), text.length);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `invalid JSON at line ${line}, column ${at - before.lastIndexOf('\n')}`;
}

/** Parses JSON text read from `file`; a fault names the file and its position, never its contents. */
export function parseJsonText(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not ${what}: ${jsonFaultPosition(text, e)}`);
  }
}
