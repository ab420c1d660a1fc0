/**
 * A bounded, streaming XML tokenizer for hostile input, over saxes. saxes
 * checks well-formedness, decodes the predefined entities and character
 * references, and never reads a DTD: an internal subset is skipped as text
 * and its entities stay undefined, so nothing is fetched and nothing expands
 * (no billion laughs). What saxes does not bound, this wrapper does: the text
 * between two `<` (one tag or one text run), nesting depth and attributes per
 * tag. Past a bound, or at a fatal well-formedness error, reading stops with
 * a problem; everything handed on before stays valid.
 */
import { SaxesParser } from 'saxes';
import type { ProblemLog } from '../../schema/problem.js';

export interface XmlLimits {
  /** Characters between two `<`: bounds any one tag, attribute value or text run. */
  maxTokenChars: number;
  maxDepth: number;
  maxAttributes: number;
}

export const defaultXmlLimits: XmlLimits = {
  maxTokenChars: 4 * 1024 * 1024,
  maxDepth: 64,
  maxAttributes: 64,
};

/** What the tokenizer hands on. `parent` is the enclosing element's name (undefined for the root). */
export interface XmlHandlers {
  open(name: string, attrs: Readonly<Record<string, string>>, parent: string | undefined, line: number): void;
  close(name: string, parent: string | undefined): void;
  text(text: string): void;
}

export interface XmlStream {
  write(chunk: Uint8Array): void;
  /** Ends the input; reports a file that stops inside an element. */
  end(): void;
  /** Stops reading with a problem: later input is ignored. */
  stop(code: string, message: string): void;
  readonly stopped: boolean;
  /** 1-based line the tokenizer is at. */
  readonly line: number;
}

/** saxes errors after which the document still makes sense: the reference is kept as literal text. */
const RECOVERABLE = /undefined entity|malformed character entity|disallowed character(?: in entity name)?\.$/;

/** Feeding saxes in slices bounds what it can build up before a stop takes effect. */
const SLICE = 64 * 1024;

/**
 * A tokenizer that reports problems as `xml.*`-style codes under `prefix`
 * (e.g. `nmap.xml-malformed`) with the file and line.
 *
 * @example
 * const xml = createXmlStream(handlers, { file: 'scan.xml', problems, prefix: 'nmap' });
 * xml.write(bytes); xml.end();
 */
export function createXmlStream(
  handlers: XmlHandlers,
  opts: { file?: string; problems: ProblemLog; prefix: string; limits?: Partial<XmlLimits> },
): XmlStream {
  const limits = { ...defaultXmlLimits, ...opts.limits };
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  const parser = new SaxesParser({ position: true, xmlns: false });
  const stack: string[] = [];
  let stopped = false;
  let sawRoot = false;
  let sinceLt = 0;
  /** saxes resets its position on close; the line reached is kept here. */
  let endLine: number | undefined;

  const problem = (code: string, message: string) =>
    opts.problems.add({
      stage: 'read',
      code: `${opts.prefix}.${code}`,
      message,
      ...(opts.file !== undefined ? { file: opts.file } : {}),
      line: parser.line,
    });
  const stop = (code: string, message: string) => {
    if (stopped) return;
    stopped = true;
    problem(code, `${message}; reading of this file stops here (records completed before are kept)`);
  };

  parser.on('opentagstart', (tag) => {
    if (stopped) return;
    if (stack.length >= limits.maxDepth)
      stop('too-deep', `elements nested more than ${limits.maxDepth} deep at <${tag.name}>`);
  });
  parser.on('opentag', (tag) => {
    if (stopped) return;
    // Counted once the tag is complete: an attribute handler costs saxes most of its speed, and
    // the token bound already caps what one tag can hold.
    let attributes = 0;
    for (const _ in tag.attributes)
      if (++attributes > limits.maxAttributes) {
        stop('too-many-attributes', `<${tag.name}> has more than ${limits.maxAttributes} attributes`);
        return;
      }
    sawRoot = true;
    const parent = stack[stack.length - 1];
    stack.push(tag.name);
    handlers.open(tag.name, tag.attributes, parent, parser.line);
  });
  parser.on('closetag', (tag) => {
    if (stopped) return;
    stack.pop();
    handlers.close(tag.name, stack[stack.length - 1]);
  });
  parser.on('text', (t) => {
    if (!stopped) handlers.text(t);
  });
  parser.on('cdata', (t) => {
    if (!stopped) handlers.text(t);
  });
  parser.on('doctype', (d) => {
    if (!stopped && d.includes('['))
      problem(
        'dtd-ignored',
        'the DOCTYPE has an internal subset; it is not processed, so entities it declares stay unexpanded',
      );
  });
  parser.on('error', (err) => {
    if (stopped) return;
    const message = err.message.replace(/^\d+:\d+: /, '');
    if (RECOVERABLE.test(message))
      problem('xml-reference', `${message} kept as literal text (column ${parser.column})`);
    else stop('xml-malformed', `not well-formed XML: ${message} (column ${parser.column})`);
  });

  /** Checks the distance between `<` characters over `s`; false when the bound is passed. */
  function withinTokenBound(s: string): boolean {
    let from = 0;
    for (;;) {
      const lt = s.indexOf('<', from);
      sinceLt += (lt < 0 ? s.length : lt) - from;
      if (sinceLt > limits.maxTokenChars) return false;
      if (lt < 0) return true;
      sinceLt = 0;
      from = lt + 1;
    }
  }

  function feed(s: string): void {
    for (let i = 0; i < s.length && !stopped; i += SLICE) {
      const part = s.slice(i, i + SLICE);
      if (!withinTokenBound(part)) {
        stop('token-too-long', `a tag or text run is longer than ${limits.maxTokenChars} characters`);
        return;
      }
      try {
        parser.write(part);
      } catch (err) {
        // saxes throws only for states it considers impossible; treat it as bad input, not a crash.
        stop('xml-malformed', `not well-formed XML: ${(err as Error).message}`);
      }
    }
  }

  return {
    write(chunk) {
      if (!stopped) feed(decoder.decode(chunk, { stream: true }));
    },
    end() {
      if (stopped) return;
      feed(decoder.decode());
      if (stopped) return;
      if (!sawRoot || stack.length > 0) stopped = true;
      if (!sawRoot) {
        problem('no-root', 'no XML element found');
        return;
      }
      if (stack.length > 0) {
        problem(
          'truncated',
          `the file ends inside <${stack.join('><')}> (the writer was probably interrupted); the unfinished record is dropped`,
        );
        return;
      }
      endLine = parser.line;
      try {
        parser.close();
      } catch (err) {
        stop('xml-malformed', `not well-formed XML: ${(err as Error).message}`);
      }
    },
    stop,
    get stopped() {
      return stopped;
    },
    get line() {
      return endLine ?? parser.line;
    },
  };
}
