/** The raw record of the web-log reader (access and error logs). */
import type { LogRecordBase } from '../syslog/types.js';

export interface WeblogHttp {
  method?: string;
  uri?: string;
  version?: string;
  status?: number;
  bytes?: number;
  referrer?: string;
  userAgent?: string;
  host?: string;
}

export interface WeblogRecord extends LogRecordBase {
  reader: 'weblog';
  format: 'common' | 'combined' | 'vhost-combined' | 'nginx-error' | 'apache-error';
  /** Client address; absent on error-log lines that name no client. */
  src?: string;
  srcPort?: number;
  user?: string;
  http: WeblogHttp;
  /** Error logs: severity word ('error', 'notice'...). */
  level?: string;
  /** Error logs: the message text (without client/server suffixes). */
  text?: string;
  attrs: Record<string, string | number>;
}
