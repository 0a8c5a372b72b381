/** A problem with the input file that the user can fix; the message names the file and where. */
export class CsvError extends Error {
  constructor(
    readonly code: CsvErrorCode,
    readonly file: string,
    detail: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(`${file}${line !== undefined ? `, line ${line}` : ''}${column !== undefined ? `, column "${column}"` : ''}: ${detail}`);
    this.name = 'CsvError';
  }
}

export type CsvErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'changed'
  | 'empty-file'
  | 'header-only'
  | 'ragged-rows'
  | 'not-utf8'
  | 'binary'
  | 'unterminated-quote'
  | 'bad-quote'
  | 'too-large'
  | 'cancelled';

/** Thrown when the caller's AbortSignal fires; not a problem with the file. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}
