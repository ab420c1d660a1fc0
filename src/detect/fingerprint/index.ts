/**
 * Tool fingerprints: packet templates (masscan, ZMap, Nmap, hping3), strings
 * tools send (User-Agents, SSH banners) and IDS messages naming a tool, and
 * the 'tool-use' findings built from them. See docs/detectors/fingerprints.md.
 */
export { type AppFingerprinter, type AppFingerprinterStats, createAppFingerprinter } from './app.js';
export { toolFromAlertMsg, toolFromSshBanner, toolFromUserAgent } from './app-tables.js';
export { type ToolFindingOptions, toolFindings } from './findings.js';
export {
  createPacketFingerprinter,
  type PacketFingerprinter,
  type PacketFingerprinterOptions,
  type PacketFingerprinterStats,
} from './packet.js';
export { addSighting, mergeSighting, type ToolSighting } from './types.js';
