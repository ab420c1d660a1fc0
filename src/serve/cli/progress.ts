import type { AnalyzeProgress } from '../../pipeline/analyze.js';

/**
 * One self-overwriting status line on stderr, at most ten updates a second,
 * only when stderr is a terminal (logs and pipes stay clean).
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { update: (_p: AnalyzeProgress) => {}, done: () => {} };
  let last = 0;
  let shown = false;
  const started = performance.now();
  return {
    update(p: AnalyzeProgress) {
      const now = performance.now();
      if (now - last < 100 && p.bytesRead < p.size) return;
      last = now;
      const pct = p.size ? Math.min(100, (100 * p.bytesRead) / p.size) : 100;
      const secs = (now - started) / 1000;
      const name = p.file.length > 40 ? `…${p.file.slice(-39)}` : p.file;
      const line = `[${p.fileIndex + 1}/${p.fileCount}] ${name} ${pct.toFixed(0)}% ${mb(p.bytesRead)}/${mb(p.size)} MB, ${p.packets.toLocaleString('en')} packets, ${p.flows.toLocaleString('en')} flows, ${secs.toFixed(1)} s`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 120) - 1)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}

function mb(n: number): string {
  return (n / 1e6).toFixed(1);
}
