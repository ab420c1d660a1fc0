/**
 * Generic services a rule can aim at when it names no product: "an SSH
 * server", "an HTTP server" ... Each entry says how a rule shows it (its
 * app-layer protocol, the buffers it inspects, its server port, words of its
 * message) and how an asset shows it (Nmap's service name, the flow's
 * recognised service).
 */

export const serviceIds = ['ssh', 'http', 'ftp', 'smtp', 'dns', 'rdp', 'smb', 'telnet'] as const;
export type ServiceId = (typeof serviceIds)[number];

export interface ServiceDef {
  id: ServiceId;
  /** The protocol's name in sentences: SSH, HTTP ... */
  label: string;
  /** The target in sentences: "an SSH server". */
  name: string;
  /** The target's id in a verdict's `targets` (source 'service'). */
  product: string;
  /** Rule header protocols (Suricata app-layer keywords) that mean this service. */
  protocols: readonly string[];
  /** Sticky buffers that belong to this protocol. */
  buffer: RegExp;
  /** Its well-known server ports. */
  ports: readonly number[];
  /** Words in a rule's message or classtype that name it. */
  words: RegExp;
  /** Names in a flow's recognised `service` (Picket's decoder, Zeek) that show it answering. */
  flowServices: readonly string[];
  /** Nmap service names that show it. */
  nmap: readonly string[];
  /**
   * The service carries applications a product-less rule may be aimed at (a
   * web application behind HTTP): finding the server shows the way in is
   * there, not that the thing attacked is.
   */
  carrier: boolean;
}

export const SERVICES: readonly ServiceDef[] = [
  {
    id: 'ssh',
    label: 'SSH',
    name: 'an SSH server',
    product: 'ssh-server',
    protocols: ['ssh'],
    buffer: /^ssh[._]/,
    ports: [22],
    words: /\bsshd?\b|\bsecure shell\b/i,
    flowServices: ['ssh'],
    nmap: ['ssh'],
    carrier: false,
  },
  {
    id: 'http',
    label: 'HTTP',
    name: 'an HTTP server',
    product: 'http-server',
    protocols: ['http', 'http1', 'http2'],
    buffer: /^http[._]/,
    ports: [80, 8000, 8008, 8080, 8081, 8088, 8888],
    words: /\bhttp\b|\bweb[ _]server\b|^web-application-/i,
    flowServices: ['http'],
    nmap: ['http', 'http-alt', 'http-proxy'],
    carrier: true,
  },
  {
    id: 'ftp',
    label: 'FTP',
    name: 'an FTP server',
    product: 'ftp-server',
    protocols: ['ftp', 'ftp-data'],
    buffer: /^ftp/,
    ports: [21],
    words: /\bftp\b/i,
    flowServices: ['ftp'],
    nmap: ['ftp'],
    carrier: false,
  },
  {
    id: 'smtp',
    label: 'SMTP',
    name: 'an SMTP server',
    product: 'smtp-server',
    protocols: ['smtp'],
    buffer: /^smtp/,
    ports: [25, 465, 587],
    words: /\bsmtp\b/i,
    flowServices: ['smtp'],
    nmap: ['smtp', 'smtps', 'submission'],
    carrier: false,
  },
  {
    id: 'dns',
    label: 'DNS',
    name: 'a DNS server',
    product: 'dns-server',
    protocols: ['dns'],
    buffer: /^dns[._]/,
    ports: [53],
    words: /\bdns\b/i,
    flowServices: ['dns'],
    nmap: ['domain'],
    carrier: false,
  },
  {
    id: 'rdp',
    label: 'RDP',
    name: 'an RDP server',
    product: 'rdp-server',
    protocols: ['rdp'],
    buffer: /^rdp/,
    ports: [3389],
    words: /\brdp\b|\bremote desktop\b/i,
    flowServices: ['rdp'],
    nmap: ['ms-wbt-server'],
    carrier: false,
  },
  {
    id: 'smb',
    label: 'SMB',
    name: 'an SMB server',
    product: 'smb-server',
    protocols: ['smb'],
    buffer: /^smb/,
    ports: [139, 445],
    words: /\bsmb[23]?\b/i,
    flowServices: ['smb'],
    nmap: ['microsoft-ds', 'netbios-ssn'],
    carrier: false,
  },
  {
    id: 'telnet',
    label: 'telnet',
    name: 'a telnet server',
    product: 'telnet-server',
    protocols: ['telnet'],
    buffer: /^telnet/,
    ports: [23],
    words: /\btelnet\b/i,
    flowServices: ['telnet'],
    nmap: ['telnet'],
    carrier: false,
  },
];

/** The service of an id, or of a verdict target's product id (`ssh-server`). */
export function serviceDef(id: string): ServiceDef | undefined {
  return SERVICES.find((s) => s.id === id || s.product === id);
}

/**
 * A relevance target that is only a carrier service (an HTTP server for a
 * product-less web rule): its presence does not make the alarm more urgent.
 *
 * @example isCarrierTarget({ product: 'http-server', source: 'service' }) // true
 */
export function isCarrierTarget(t: { product: string; source: string }): boolean {
  return t.source === 'service' && serviceDef(t.product)?.carrier === true;
}
