// Loaded with `--expose-gc --import ./bench/memory-probe.mjs` into a server under benchmark (bench/sockets.bench.ts):
// on SIGUSR2 it collects garbage and prints one line, `memory {…process.memoryUsage()}`, to stderr.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stderr.write(`memory ${JSON.stringify(process.memoryUsage())}\n`);
});
