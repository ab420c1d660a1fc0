/**
 * For tests: a real nginx on loopback (the only target verify's tests ever
 * touch), serving given files from a temporary folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogue } from '../catalogue.js';
import { httpProbe } from '../verify-probes.js';

const catalogue = loadCatalogue();

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Starts nginx on 127.0.0.1 (a free port) serving `files`; registers its stop
 * and the folder's removal in `cleanups`.
 *
 * @example
 * const { port, accessLog } = await startTestNginx({ 'index.html': '<html></html>' }, cleanups);
 */
export async function startTestNginx(
  files: Record<string, string>,
  cleanups: (() => void)[],
): Promise<{ port: number; accessLog: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-verify-nginx-'));
  const root = join(dir, 'www');
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  mkdirSync(root, { recursive: true });
  const port = await freePort();
  const accessLog = join(dir, 'access.log');
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${user}
worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log ${accessLog};
  client_body_temp_path ${dir}/t1; proxy_temp_path ${dir}/t2; fastcgi_temp_path ${dir}/t3; uwsgi_temp_path ${dir}/t4; scgi_temp_path ${dir}/t5;
  types { text/html html; text/xml xml; application/octet-stream bin; }
  server { listen 127.0.0.1:${port}; root ${root}; index index.html; }
}
`,
  );
  const child: ChildProcess = spawn(
    'nginx',
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    { stdio: 'ignore' },
  );
  cleanups.push(() => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 100; i++) {
    const ok = await httpProbe('127.0.0.1', port, 'GET', '/', catalogue, { timeoutMs: 500, maxBody: 1024 });
    if (ok.status !== undefined) return { port, accessLog };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not start on ${port}: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
}
