// mlw export <bundle> --format onnx --out model.onnx: the bundle's whole pipeline as one ONNX graph
// (src/core/serving/onnx.ts). An existing file is replaced only with --force; what has no ONNX
// form is refused naming it, exit 1.
import { exportOnnxFile } from '../core/serving/onnx';
import { flagString, parseCommand, UsageError } from './args';
import { bundleOf } from './serveCommand';

export async function exportCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['format', 'out'], ['force']);
  if (positionals.length !== 1) throw new UsageError('export takes one bundle: a run\'s folder, its artifacts/model folder or bundle.json');
  const format = flagString(flags, 'format') ?? 'onnx';
  if (format !== 'onnx') throw new UsageError(`--format must be onnx (got "${format}")`);
  const out = flagString(flags, 'out');
  if (!out) throw new UsageError('export needs --out FILE, the .onnx file to write');
  const exported = await exportOnnxFile(bundleOf(positionals[0]), out, { replace: flags.has('force') });
  if (flags.has('json')) process.stdout.write(JSON.stringify({ out, bytes: exported.bytes.length, inputs: exported.inputs, outputs: exported.outputs }) + '\n');
  else process.stdout.write(`wrote ${out} (${exported.bytes.length} bytes): inputs ${exported.inputs.map((i) => `${i.name} (${i.type})`).join(', ')}; outputs ${exported.outputs.join(', ')}\n`);
}
