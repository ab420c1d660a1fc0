/**
 * argv pieces and word lists shared by several scenarios' actions, so that
 * the same tool runs the same way in `basic` and in `scans`.
 *
 * Example: ['hydra', ...HYDRA_SSH_ARGS] runs hydra against {ssh} with the lab's lists.
 */

/** Users and passwords hydra tries; the lab password is deliberately absent. */
export const HYDRA_USERS = ['labuser', 'admin', 'root', 'test', 'ubuntu', 'oracle'];
export const HYDRA_PASSWORDS = ['123456', 'password', 'admin', 'letmein'];

/** curl quiet, printing only the HTTP status. */
export const CURL = ['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}\\n', '--max-time', '10'];

/** masscan's port-22 sweep of the inside /27 at 100 packets/s, from the actor's own address. */
export const MASSCAN_SWEEP_22 = [
  'masscan',
  '{inside}',
  '-p22',
  '--rate',
  '100',
  '--wait',
  '2',
  '--adapter',
  'eth0',
  '--adapter-ip',
  '{src}',
  '--router-mac',
  '{gwmac}',
];

/** hydra's ssh module, one task, the lab's user and password lists (written by the runner into {work}). */
export const HYDRA_SSH = [
  'hydra',
  '-I',
  '-t',
  '1',
  '-L',
  '{work}/users.txt',
  '-P',
  '{work}/passwords.txt',
  'ssh://{ssh}',
];

/** hping3 flag probes: NULL (no flag option), FIN, Xmas (FIN+PSH+URG); two probes, to port 80 then 81. */
export const HPING3_FLAGS = [
  ['null', []],
  ['fin', ['-F']],
  ['xmas', ['-F', '-P', '-U']],
] as const;

export function hping3Probe(flags: readonly string[]): string[] {
  return ['hping3', '-I', 'eth0', '-c', '2', '-i', 'u200000', ...flags, '-p', '++80', '{web}'];
}
