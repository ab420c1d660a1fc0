/** Silence one signature for one host in threshold.config (the rule keeps alerting for everyone else). */

/**
 * @example suppressLine(1, 2016032, 'by_src', '192.0.2.7') // 'suppress gen_id 1, sig_id 2016032, track by_src, ip 192.0.2.7'
 */
export function suppressLine(gid: number, sid: number, track: 'by_src' | 'by_dst', ip: string): string {
  return `suppress gen_id ${gid}, sig_id ${sid}, track ${track}, ip ${ip}`;
}
