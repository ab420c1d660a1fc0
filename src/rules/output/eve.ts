/**
 * EVE JSON output: `toEveAlert` builds one Suricata `alert` record,
 * `createEveWriter` streams them to a file.
 * @example
 * const w = createEveWriter('eve.json', { classifications: loaded.classifications });
 * w.write(alert); w.close();
 */
export { type EveOptions, toEveAlert } from './eve-alert.js';
export { eveString, eveTimestamp } from './eve-text.js';
export { createEveWriter, type EveWriter, type EveWriterOptions } from './eve-writer.js';
