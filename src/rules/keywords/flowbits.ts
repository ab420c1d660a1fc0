import { attachCondition, type KeywordDescriptor, kwError } from './types.js';

export interface FlowbitsOption {
  command: 'set' | 'unset' | 'toggle' | 'isset' | 'isnotset' | 'noalert';
  /** Bit names; several for `isset,a|b` (any) or `set,a&b`... only `|` is read as OR. */
  names: string[];
  combine: 'or' | 'and';
}

const COMMANDS = ['set', 'setx', 'unset', 'toggle', 'isset', 'isnotset', 'noalert'];

export const flowbits: KeywordDescriptor<FlowbitsOption> = {
  name: 'flowbits',
  description: 'Sets, clears or tests named per-flow flags so rules can depend on earlier rules.',
  support: 'full',
  affectsMatch: true,
  value: 'required',
  parse: (v) => {
    const t = (v ?? '').trim();
    const comma = t.indexOf(',');
    const cmd = (comma < 0 ? t : t.slice(0, comma)).trim();
    const arg = comma < 0 ? '' : t.slice(comma + 1).trim();
    if (!COMMANDS.includes(cmd)) return kwError('flowbits', `unknown command "${cmd}"`);
    if (cmd === 'noalert') {
      if (arg !== '') return kwError('flowbits', 'noalert takes no name');
      return { command: 'noalert', names: [], combine: 'or' };
    }
    if (arg === '') return kwError('flowbits', `${cmd} needs a name`);
    const combine = arg.includes('&') ? 'and' : 'or';
    const names = arg.split(/[|&]/).map((s) => s.trim());
    if (arg.includes('&') && arg.includes('|')) return kwError('flowbits', `cannot mix | and & in "${arg}"`);
    // Suricata names are any run without spaces, commas, semicolons or the combinators.
    for (const n of names) if (!/^[^\s,;|&"]+$/.test(n)) return kwError('flowbits', `bad name "${n}"`);
    if (names.length > 1 && cmd !== 'isset' && cmd !== 'isnotset' && combine === 'or')
      return kwError('flowbits', `${cmd} cannot take alternatives "${arg}"`);
    return { command: cmd === 'setx' ? 'set' : (cmd as FlowbitsOption['command']), names, combine };
  },
  attach: attachCondition,
};
