// Messages between the extension host and its job worker thread.
import type { ProfileCsvOptions } from '../../core/jobs/profileCsv';
import type { Profile } from '../../core/profile/types';

export type JobRequest = { type: 'profile'; file: string; options: Omit<ProfileCsvOptions, 'signal' | 'onProgress'> };

export type JobResult = { type: 'profile'; profile: Profile };

export type JobMessage =
  | { type: 'progress'; stage: string; fraction?: number }
  | { type: 'result'; result: JobResult }
  | { type: 'error'; message: string; code?: string };
