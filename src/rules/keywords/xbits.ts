import { attachCondition, type KeywordDescriptor, kwError } from './types.js';
import { commaList, parseInteger } from './values.js';

export interface XbitsOption {
  command: 'set' | 'unset' | 'toggle' | 'isset' | 'isnotset' | 'noalert';
  name: string;
  track: 'ip_src' | 'ip_dst' | 'ip_pair';
  expire?: number;
}

export const xbits: KeywordDescriptor<XbitsOption> = {
  name: 'xbits',
  description: 'Like flowbits but kept per host or host pair (track ip_src/ip_dst/ip_pair), with expiry.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const [cmd, name, track, expire, ...rest] = commaList(v);
    // Like flowbits, `xbits:noalert;` stands alone.
    if (cmd === 'noalert' && name === undefined) return { command: 'noalert', name: '', track: 'ip_src' };
    if (!['set', 'unset', 'toggle', 'isset', 'isnotset', 'noalert'].includes(cmd ?? ''))
      return kwError('xbits', `unknown command "${cmd ?? ''}"`);
    if (!name || !/^[A-Za-z0-9_.-]+$/.test(name)) return kwError('xbits', `bad name "${name ?? ''}"`);
    const tm = /^track\s+(ip_src|ip_dst|ip_pair)$/.exec(track ?? '');
    if (!tm) return kwError('xbits', `expected "track ip_src|ip_dst|ip_pair", got "${track ?? ''}"`);
    const out: XbitsOption = {
      command: cmd as XbitsOption['command'],
      name,
      track: tm[1] as XbitsOption['track'],
    };
    if (expire !== undefined) {
      const em = /^expire\s+(\S+)$/.exec(expire);
      if (!em) return kwError('xbits', `expected "expire N", got "${expire}"`);
      const n = parseInteger('xbits', em[1], 1);
      if (typeof n !== 'number') return n;
      out.expire = n;
    }
    if (rest.length) return kwError('xbits', `unexpected "${rest.join(',')}"`);
    return out;
  },
  attach: attachCondition,
};
