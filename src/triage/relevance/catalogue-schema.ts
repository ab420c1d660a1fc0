/**
 * The shape of rules/catalogue.yaml: products Picket can recognise (in rule
 * metadata and messages, in banners, generator tags and fingerprint paths)
 * and the vulnerabilities whose affected versions it knows. docs/triage.md
 * ("Relevance") explains each field and how to add a product.
 */
import { z } from 'zod';
import { serviceIds } from './services.js';

const text = z.string().min(1).max(200);
const words = z.array(text).max(64).default([]);

/** A path every install answers (or that shows the product), for `picket verify` and passive evidence. */
export const fingerprintSchema = z.strictObject({
  /** Absolute path on the web server, e.g. /administrator/manifests/files/joomla.xml. */
  path: z.string().regex(/^\/[\x21-\x7e]*$/, 'a path starting with / and without spaces'),
  /** Body text (case-insensitive) that shows the product when the path answers 2xx. */
  present: text.optional(),
  /** Body text after which the version follows, e.g. `<version>`. */
  versionAfter: text.optional(),
  /** Every install of the product answers this path: a 404 or 410 there is evidence of absence. */
  always: z.boolean().default(false),
  /** HEAD instead of GET: the body could be sensitive (a router's configuration). */
  headOnly: z.boolean().default(false),
});
export type Fingerprint = z.infer<typeof fingerprintSchema>;

export const productKinds = ['platform', 'server', 'application'] as const;

export const productSchema = z.strictObject({
  /** Lower-case id used everywhere else: joomla, zyxel-zynos, iis, openssh ... */
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'lower-case letters, digits, dots and dashes'),
  name: text,
  /**
   * platform: an operating system or device firmware that owns the whole host's network stack;
   * server: a network daemon (web or SSH server); application: runs inside a server (a CMS, an extension).
   */
  kind: z.enum(productKinds),
  /** Other spellings, as ET `affected_product` values or inventory users write them. */
  aliases: words,
  /** Whole words or phrases in rule messages that name the product (case-insensitive). */
  msg: words,
  /** Prefixes of Server / X-Powered-By headers or SSH software versions; the version follows. */
  banners: words,
  /** Text in a page's generator meta tag; a version may follow. */
  generators: words,
  /** CPE prefixes as Nmap reports them, e.g. cpe:/a:igor_sysoev:nginx. */
  cpe: words,
  /** platform: the platform id this product is (defaults to its id). server: the platforms it runs on. */
  platforms: z.array(text).max(16).default([]),
  /** server: the protocols it serves (ssh, http ...), so a rule aimed at "an SSH server" counts it. */
  services: z.array(z.enum(serviceIds)).max(8).default([]),
  /** application: the products it extends or runs inside (an extension needs its CMS). */
  requires: z.array(text).max(8).default([]),
  fingerprints: z.array(fingerprintSchema).max(16).default([]),
  notes: z.string().max(2000).optional(),
});
export type CatalogueProduct = z.infer<typeof productSchema>;

export const vulnerabilitySchema = z.strictObject({
  /** CVE id, or another stable name when there is none. */
  id: text,
  product: text,
  /** Affected versions, e.g. '>=1.5 <=3.4.5'; omit when every version is affected. */
  versions: text.optional(),
  title: text.optional(),
  /** Phrases in rule messages that name this vulnerability (with the product named too). */
  msg: words,
  /** Signatures known to detect it, even when their text names no CVE. */
  sids: z.array(z.number().int().positive()).max(256).default([]),
});
export type CatalogueVulnerability = z.infer<typeof vulnerabilitySchema>;

export const catalogueSchema = z.strictObject({
  version: z.literal(1),
  products: z.array(productSchema).max(2000),
  vulnerabilities: z.array(vulnerabilitySchema).max(20000).default([]),
});
export type CatalogueFile = z.infer<typeof catalogueSchema>;
