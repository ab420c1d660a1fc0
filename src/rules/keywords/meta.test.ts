import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('metadata keywords fill the rule', () => {
  const r = accepted(
    'msg:"A \\"quoted\\" msg"; sid:2000001; rev:3; gid:1; classtype:attempted-recon; priority:2; reference:cve,2014-0160; reference:url,example.com/x; metadata:created_at 2010_07_30, former_category SCAN; target:dest_ip;',
  );
  assert.equal(r.msg, 'A "quoted" msg');
  assert.deepEqual(
    [r.sid, r.rev, r.gid, r.classtype, r.priority, r.target],
    [2000001, 3, 1, 'attempted-recon', 2, 'dest_ip'],
  );
  assert.equal(r.references[0]!.url, 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=2014-0160');
  assert.deepEqual(r.references[1], { system: 'url', id: 'example.com/x', url: 'https://example.com/x' });
  assert.deepEqual(r.metadata, { created_at: ['2010_07_30'], former_category: ['SCAN'] });
});

test('metadata errors', () => {
  assert.match(rejection('sid:0;'), /sid: 0 out of range/);
  assert.match(rejection('sid:1; sid:2;'), /sid: given twice/);
  assert.match(rejection('sid:99999999999;'), /sid: 99999999999 out of range/);
  assert.match(rejection('msg:"x;'), /unbalanced quote/);
  assert.match(rejection('reference:nothing;'), /reference: expected system,id/);
  assert.match(rejection('target:both;'), /target: expected src_ip or dest_ip/);
});
