import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accepted, rejection } from '../testing.js';

test('threshold in any parameter order', () => {
  assert.deepEqual(accepted('threshold: type limit, track by_src,count 1, seconds 60;').conditions[0], {
    keyword: 'threshold',
    value: { type: 'limit', track: 'by_src', count: 1, seconds: 60 },
  });
  assert.deepEqual(
    accepted('threshold:seconds 30, count 5, track by_flow, type both;').conditions[0]!.value,
    {
      seconds: 30,
      count: 5,
      track: 'by_flow',
      type: 'both',
    },
  );
});

test('detection_filter', () => {
  assert.deepEqual(accepted('detection_filter:track by_dst, count 10, seconds 5;').conditions[0]!.value, {
    track: 'by_dst',
    count: 10,
    seconds: 5,
  });
});

test('threshold errors', () => {
  assert.match(rejection('threshold:type limit, track by_src, count 1;'), /threshold: missing "seconds"/);
  assert.match(
    rejection('threshold:type lots, track by_src, count 1, seconds 1;'),
    /threshold: type "lots" is not one of/,
  );
  assert.match(
    rejection('threshold:type limit, track by_src, count 1, seconds 1, colour 2;'),
    /threshold: unknown parameter "colour"/,
  );
  assert.match(
    rejection('threshold:type limit, track by_src, count 99999999999, seconds 1;'),
    /threshold: 99999999999 out of range/,
  );
  assert.match(
    rejection(
      'threshold:type limit, track by_src, count 1, seconds 1; detection_filter:track by_src, count 1, seconds 1;',
    ),
    /only one threshold or detection_filter/,
  );
});

test('threshold type backoff takes a multiplier and only track by_flow', () => {
  assert.deepEqual(
    accepted('threshold:type backoff, track by_flow, count 1, multiplier 10;').conditions[0]!.value,
    { type: 'backoff', track: 'by_flow', count: 1, multiplier: 10 },
  );
  assert.match(
    rejection('threshold:type backoff, track by_src, count 1, multiplier 2;'),
    /threshold: type backoff needs track by_flow/,
  );
  assert.match(
    rejection('threshold:type backoff, track by_flow, count 1;'),
    /threshold: type backoff needs multiplier/,
  );
  assert.match(
    rejection('threshold:type backoff, track by_flow, count 1, multiplier 2, seconds 5;'),
    /takes multiplier, not seconds/,
  );
  assert.match(
    rejection('threshold:type limit, track by_flow, count 1, seconds 5, multiplier 2;'),
    /multiplier is only for type backoff/,
  );
  assert.match(
    rejection('threshold:type backoff, track by_flow, count 1, multiplier 1;'),
    /threshold: 1 out of range 2-/,
  );
});

test('detection_filter unique_on src_port|dst_port', () => {
  assert.deepEqual(
    accepted('detection_filter: track by_src, count 1, seconds 60, unique_on src_port;').conditions[0]!.value,
    { track: 'by_src', count: 1, seconds: 60, uniqueOn: 'src_port' },
  );
  assert.equal(
    (
      accepted('detection_filter:track by_dst,count 10,seconds 60,unique_on dst_port;').conditions[0]!
        .value as {
        uniqueOn: string;
      }
    ).uniqueOn,
    'dst_port',
  );
  assert.match(
    rejection('detection_filter:track by_dst, count 10, seconds 60, unique_on proto;'),
    /detection_filter: unique_on "proto" is not one of src_port, dst_port/,
  );
  assert.match(rejection('detection_filter:track by_dst, count 10;'), /detection_filter: missing "seconds"/);
});
