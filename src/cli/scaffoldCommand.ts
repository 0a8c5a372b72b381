// mlw scaffold <bundle> --target fastapi|node --out DIR: a serving folder to commit and deploy
// (src/core/serving/scaffold.ts). An existing, non-empty folder is refused unless --force.
import { scaffold, SCAFFOLD_TARGETS, ScaffoldTarget } from '../core/serving/scaffold';
import { flagString, parseCommand, UsageError } from './args';
import { bundleOf } from './serveCommand';

export async function scaffoldCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['target', 'out', 'sample'], ['force']);
  if (positionals.length !== 1) throw new UsageError('scaffold takes one bundle: a run\'s folder, its artifacts/model folder or bundle.json');
  const target = flagString(flags, 'target') ?? 'fastapi';
  if (!SCAFFOLD_TARGETS.includes(target as ScaffoldTarget)) throw new UsageError(`--target must be one of ${SCAFFOLD_TARGETS.join(', ')} (got "${target}")`);
  const out = flagString(flags, 'out');
  if (!out) throw new UsageError('scaffold needs --out DIR, the folder to write');
  const bundle = bundleOf(positionals[0]);
  const sample = flagString(flags, 'sample');
  const result = await scaffold(bundle, { target: target as ScaffoldTarget, out, force: flags.has('force'), mlwDir: __dirname, ...(sample ? { sampleCsv: sample } : {}) });
  if (flags.has('json')) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write(`wrote ${result.files.length} files to ${result.out} (${target}); see its README.md\n`);
}
