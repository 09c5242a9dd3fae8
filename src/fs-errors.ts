/** File-system errors in the plain words of a one-line message: never raw errno text or a temporary file's name. */

const WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is larger than allowed',
  EROFS: 'the file system is read-only',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** An error met reading a file or folder that was named. */
export function describeReadError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'no such file or folder';
  if (error.code === 'EISDIR') return 'is a folder';
  return inWords(error, 'read');
}

/** An error met writing, where a missing path is the folder the file was to go in. */
export function describeWriteError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'the folder does not exist';
  if (error.code === 'EISDIR') return 'it is a folder';
  return inWords(error, 'write');
}

function inWords(error: NodeJS.ErrnoException, doing: string): string {
  const words = error.code === undefined ? undefined : WORDS[error.code];
  if (words !== undefined) return words;
  return error.code ? `${error.code} (${error.syscall ?? doing})` : String(error.message);
}
