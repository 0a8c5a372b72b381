export type Delimiter = ',' | ';' | '\t' | '|';

export interface CsvOptions {
  /** 'auto' sniffs the delimiter from the first lines. */
  delimiter?: Delimiter | 'auto';
  /** Tokens read as missing, compared after trimming spaces. */
  missingValues?: string[];
  /** Rows whose field count differs from the header's: stop with an error, or skip and warn. */
  raggedRows?: 'error' | 'skip';
  /** Worker threads for the fast path (0 or 1 parses on the calling thread). Default: one per core, at most 2, and 1 below 8 MB. */
  workers?: number;
  /** Force the general (papaparse) path; tests use it to prove both paths agree. */
  forceGeneralPath?: boolean;
  /** Stop early when fired; the load rejects with CancelledError. */
  signal?: AbortSignal;
  /** Called with the fraction of bytes read, 0..1. */
  onProgress?: (fraction: number) => void;
}

export const DEFAULT_MISSING = ['', 'NA', 'N/A', 'null', 'NaN', 'None', '?'];

export interface ResolvedCsvOptions {
  delimiter: string;
  missingValues: string[];
  raggedRows: 'error' | 'skip';
}
