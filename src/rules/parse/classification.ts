/** classification.config: `config classification: shortname,description,priority`. */

export interface Classification {
  description: string;
  priority: number;
}

export interface ConfigProblem {
  line: number;
  reason: string;
}

/**
 * @example parseClassificationConfig('config classification: attempted-recon,Attempted Information Leak,2\n')
 */
export function parseClassificationConfig(text: string): {
  classes: Map<string, Classification>;
  problems: ConfigProblem[];
} {
  const classes = new Map<string, Classification>();
  const problems: ConfigProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /^config\s+classification\s*:\s*([^,]+),([^,]*),\s*(\d+)\s*$/.exec(t);
    if (!m) {
      problems.push({
        line: i + 1,
        reason: `expected "config classification: name,description,priority", got "${t.slice(0, 60)}"`,
      });
      continue;
    }
    classes.set(m[1]!.trim(), { description: m[2]!.trim(), priority: Number(m[3]) });
  }
  return { classes, problems };
}
