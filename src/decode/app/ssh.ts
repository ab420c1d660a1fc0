/**
 * SSH version exchange (RFC 4253 section 4.2): each side sends one line
 * `SSH-protoversion-softwareversion [comments]` ending in CR LF. A server may
 * send other text lines first; we skip those, within bounds.
 */

export interface SshBannerParserOptions {
  /** Bytes to look through before giving up (default 8 KiB). */
  maxBytes?: number;
  /** Longest banner kept; RFC 4253 allows 255 characters including CR LF (default 255). */
  maxBanner?: number;
  onProblem?(code: string, message: string): void;
}

export interface SshBannerParser {
  feed(bytes: Uint8Array): void;
  /** The `SSH-...` line without CR LF; '' until seen. */
  readonly banner: string;
  /** True when the banner was found or the parser gave up. */
  readonly done: boolean;
}

/**
 * Finds the SSH version line of one direction.
 *
 * @example
 * const p = createSshBannerParser();
 * p.feed(new TextEncoder().encode('SSH-2.0-OpenSSH_9.6\r\n'));
 * p.banner; // 'SSH-2.0-OpenSSH_9.6'
 */
export function createSshBannerParser(opts: SshBannerParserOptions = {}): SshBannerParser {
  const maxBytes = opts.maxBytes ?? 8192;
  const maxBanner = opts.maxBanner ?? 255;
  let seen = 0;
  let line = '';
  let banner = '';
  let done = false;

  function giveUp(code: string, message: string): void {
    done = true;
    opts.onProblem?.(code, message);
  }

  function feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length && !done; i++) {
      const c = bytes[i]!;
      if (++seen > maxBytes) {
        giveUp('ssh.no-banner', `No SSH version line in the first ${maxBytes} bytes.`);
        return;
      }
      if (c === 0x0a) {
        if (line.startsWith('SSH-')) {
          banner = line.endsWith('\r') ? line.slice(0, -1) : line;
          done = true;
          return;
        }
        line = '';
        continue;
      }
      if (c === 0 || (c < 0x20 && c !== 0x0d && c !== 0x09)) {
        giveUp('ssh.binary-before-banner', 'Binary data where the SSH version line was expected.');
        return;
      }
      // Keep a bounded line; an over-long SSH- line is kept truncated.
      if (line.length < maxBanner + 1) line += String.fromCharCode(c);
      else if (line.startsWith('SSH-')) {
        banner = line.slice(0, maxBanner);
        done = true;
        opts.onProblem?.(
          'ssh.banner-too-long',
          `SSH version line longer than ${maxBanner} characters; kept truncated.`,
        );
        return;
      }
    }
  }

  return {
    feed,
    get banner() {
      return banner;
    },
    get done() {
      return done;
    },
  };
}
