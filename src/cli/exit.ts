// Ending mlw's process. A pipe takes writes asynchronously: exiting at once cut piped output at
// 64 KB (with exit 0). So the exit code is set first (the process ends by itself when idle), and the
// exit comes only after both streams' last write has been flushed, which covers a handle (a worker,
// tfjs) that would keep the process alive.
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}
