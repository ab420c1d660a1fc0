import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SshTx } from '../../schema/app-tx.js';
import { splitSshBanner, sshBuffer, sshBufferDirection } from './ssh.js';

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('latin1'));

test('banners split into protocol and software version, comments left out', () => {
  const s = splitSshBanner('SSH-2.0-OpenSSH_9.6p1 Debian-3');
  assert.deepEqual([text(s?.proto), text(s?.software)], ['2.0', 'OpenSSH_9.6p1']);
  const old = splitSshBanner(Buffer.from('SSH-1.99-Cisco-1.25\r\n'));
  assert.deepEqual([text(old?.proto), text(old?.software)], ['1.99', 'Cisco-1.25']);
  assert.equal(splitSshBanner('SSH-2.0'), undefined);
  assert.equal(splitSshBanner('HTTP/1.1 200 OK'), undefined);
});

test('the inspected side decides: client banner to_server, server banner to_client', () => {
  const c = splitSshBanner('SSH-2.0-libssh_0.9.6')!;
  const s = splitSshBanner('SSH-1.99-OpenSSH_8.0')!;
  const tx: SshTx = {
    clientProto: c.proto,
    clientSoftware: c.software,
    serverProto: s.proto,
    serverSoftware: s.software,
  };
  assert.equal(text(sshBuffer(tx, 'ssh.proto', true)), '2.0');
  assert.equal(text(sshBuffer(tx, 'ssh.software', true)), 'libssh_0.9.6');
  assert.equal(text(sshBuffer(tx, 'ssh.proto', false)), '1.99');
  assert.equal(text(sshBuffer(tx, 'ssh_software', false)), 'OpenSSH_8.0');
  assert.equal(sshBuffer({}, 'ssh.software', true), undefined);
  assert.equal(sshBuffer(tx, 'ssh.protoversion', true), undefined);
  assert.equal(sshBufferDirection('ssh.proto'), 'both');
  assert.equal(sshBufferDirection('ssh.hassh'), undefined);
});
