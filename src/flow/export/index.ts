/** Per-session pcap export ("download the session PCAP") and the pcap writer it uses. */
export { createPcapWriter, type PcapWriter, type PcapWriterOptions } from './pcap-writer.js';
export { type ExportSessionInput, type ExportSessionOptions, exportSession } from './session.js';
