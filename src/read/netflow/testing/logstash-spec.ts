/**
 * Test support: reads logstash-codec-netflow's netflow_spec.rb as data. Per
 * `context`: the .dat payloads in feed order, the expected JSON events
 * (heredocs) and the assertions on decode size, single fields and whole events.
 * Plain pattern matching over the text; nothing is evaluated.
 */

export interface SpecAssertion {
  kind: 'size' | 'field' | 'event';
  line: number;
  /** decode index (field / event) */
  index: number;
  /** size: the count; field: the value; event: the parsed JSON event */
  expected: unknown;
  field?: string;
}

export interface SpecContext {
  name: string;
  line: number;
  files: string[];
  assertions: SpecAssertion[];
}

const lineOf = (src: string, at: number) => src.slice(0, at).split('\n').length;

/** Parses the spec text into contexts. */
export function parseNetflowSpec(src: string): SpecContext[] {
  const starts: { name: string; at: number }[] = [];
  for (const m of src.matchAll(/^\s*context "([^"]*)" do/gm)) starts.push({ name: m[1]!, at: m.index! });
  const out: SpecContext[] = [];
  for (let i = 0; i < starts.length; i++) {
    const { name, at } = starts[i]!;
    const body = src.slice(at, i + 1 < starts.length ? starts[i + 1]!.at : src.length);
    const files: string[] = [];
    // Template packets a context feeds first (the caching context), then its data.
    const tplLet = /let\(:templates\) do([\s\S]*?)\n\s*end\n/.exec(body);
    const fileRe = /IO\.read\(File\.join\(File\.dirname\(__FILE__\), "([^"]+)"\)/g;
    if (tplLet) for (const m of tplLet[1]!.matchAll(fileRe)) files.push(m[1]!);
    const dataLet = /let\(:data\) do([\s\S]*?)\n\s*end\n/.exec(body);
    if (dataLet) for (const m of dataLet[1]!.matchAll(fileRe)) files.push(m[1]!);
    const events: unknown[] = [];
    for (const m of body.matchAll(/<<-END\n([\s\S]*?)\n\s*END/g)) {
      try {
        events.push(JSON.parse(m[1]!.replace(/\\?#\{\w+\}/g, '')));
      } catch {
        events.push(undefined);
      }
    }
    const assertions: SpecAssertion[] = [];
    for (const m of body.matchAll(/expect\(decode\.size\)\.to eq\((\d+)\)/g))
      assertions.push({ kind: 'size', line: lineOf(src, at + m.index!), index: -1, expected: Number(m[1]) });
    for (const m of body.matchAll(
      /expect\(decode\[(\d+)\]\.get\("\[netflow\]\[([^\]]+)\]"\)\)\.to eq\(("(?:[^"\\]|\\.)*"|-?[\d.]+)\)/g,
    ))
      assertions.push({
        kind: 'field',
        line: lineOf(src, at + m.index!),
        index: Number(m[1]),
        field: m[2]!,
        expected: JSON.parse(m[3]!.replace(/\\?#\{\w+\}/g, '')),
      });
    for (const m of body.matchAll(
      /expect\(JSON\.parse\(decode\[(\d+)\]\.to_json\)\)\.to eq\(JSON\.parse\(json_events\[(\d+)\]\)\)/g,
    ))
      assertions.push({
        kind: 'event',
        line: lineOf(src, at + m.index!),
        index: Number(m[1]),
        expected: events[Number(m[2])],
      });
    out.push({ name, line: lineOf(src, at), files, assertions });
  }
  return out;
}
