// Load and profile in one call: what the CLI, the extension's worker and the benchmark run.
import { loadCsv } from '../csv/load';
import { columnList } from '../frame';
import type { CsvOptions } from '../csv/options';
import type { ProfileOptions } from '../profile/profile';
import { profileFrameParallel } from '../profile/parallelProfile';
import type { Profile } from '../profile/types';

export interface ProfileCsvOptions extends CsvOptions, Omit<ProfileOptions, 'loadMs' | 'signal'> {}

export async function profileCsv(file: string, options: ProfileCsvOptions = {}): Promise<Profile> {
  const t0 = performance.now();
  const frame = await loadCsv(file, options);
  const loadMs = performance.now() - t0;
  if (options.target !== undefined) {
    // Fail on a wrong target before the work, naming the columns there are.
    if (!frame.columns.some((c) => c.name === options.target)) {
      throw new Error(`${file}: no column named "${options.target}" to use as target (columns: ${columnList(frame)})`);
    }
  }
  return profileFrameParallel(frame, { ...options, loadMs, signal: options.signal });
}
