/**
 * The strict CLIXML reader: saxes, a complete XML 1.0 + namespaces parser, drives the frames. It reads any
 * well-formed document and reports a malformed one with its exact line and column; the fast scanner
 * (clixml-scanner.ts) hands every document it does not accept to this reader.
 */

import { SaxesParser, type SaxesStartTagNS, type SaxesTagNS } from 'saxes';
import { ClixmlBuilder, type Position } from './clixml-values.js';
import { ClixmlError, PS_NAMESPACE } from './clixml-error.js';
import type { PsValue } from './ps-value.js';

interface SaxHandlers {
  openTagStart(tag: SaxesStartTagNS): void;
  openTag(tag: SaxesTagNS): void;
  closeTag(): void;
  text(chunk: string): void;
  doctype(): void;
  parserError(error: Error): void;
}

/**
 * Registers every handler inside the constructor: a parser given its handlers after construction gains so
 * many properties that V8 turns it into a dictionary object, and then parses about five times slower.
 */
class ClixmlSaxParser extends SaxesParser<{ xmlns: true }> {
  constructor(handlers: SaxHandlers) {
    super({ xmlns: true });
    this.on('opentagstart', (tag) => handlers.openTagStart(tag));
    this.on('opentag', (tag) => handlers.openTag(tag));
    this.on('closetag', () => handlers.closeTag());
    this.on('text', (chunk) => handlers.text(chunk));
    this.on('cdata', (chunk) => handlers.text(chunk));
    this.on('doctype', () => handlers.doctype());
    this.on('error', (error) => handlers.parserError(error));
  }
}

/** Parses a whole CLIXML document and returns the top-level items of <Objs>. Throws only ClixmlError. */
export function parseClixmlStrictly(text: string): PsValue[] {
  return new StrictReader().read(text);
}

class StrictReader implements SaxHandlers {
  private readonly results: PsValue[] = [];
  private tagStart: Position = { line: 1, column: 1 };
  private readonly parser = new ClixmlSaxParser(this);
  private readonly builder = new ClixmlBuilder({
    deliver: (value) => this.results.push(value),
    malformed: (problem, at, cause) => this.malformed(problem, at, cause),
  });

  read(text: string): PsValue[] {
    try {
      this.parser.write(text).close();
    } catch (error) {
      if (error instanceof ClixmlError) throw error;
      // saxes also throws plain Errors from internal consistency checks; callers are promised ClixmlError only.
      const detail = error instanceof Error ? error.message : String(error);
      throw this.malformed(`XML parser failed: ${detail}`, this.position(), error);
    }
    return this.results;
  }

  openTagStart(tag: SaxesStartTagNS): void {
    // The parser has read "<", the name and one more character; point at the "<".
    this.tagStart = { line: this.parser.line, column: Math.max(1, this.parser.column - tag.name.length - 1) };
  }

  openTag(tag: SaxesTagNS): void {
    if (this.builder.depth === 0) {
      this.checkRoot(tag, this.tagStart);
      this.builder.openRoot();
    } else if (tag.uri !== PS_NAMESPACE) {
      this.builder.openIgnored(this.tagStart);
    } else {
      this.builder.open(tag.local, tag.attributes['N']?.value, tag.attributes['RefId']?.value, this.tagStart);
    }
  }

  closeTag(): void {
    this.builder.close();
  }

  text(chunk: string): void {
    this.builder.text(chunk);
  }

  doctype(): void {
    // Refusing any DTD means no entity is ever declared, expanded or fetched (billion laughs, XXE).
    throw this.malformed('a DOCTYPE is not allowed (PowerShell never writes one)', this.position());
  }

  parserError(error: Error): never {
    throw this.malformed(error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, ''), this.position());
  }

  private malformed(problem: string, at: Position, cause?: unknown): ClixmlError {
    return new ClixmlError(problem, at.line, at.column, cause === undefined ? undefined : { cause });
  }

  private checkRoot(tag: SaxesTagNS, at: Position): void {
    if (tag.local !== 'Objs') throw this.malformed(`the root element is <${tag.name}>, not <Objs>`, at);
    if (tag.uri !== PS_NAMESPACE) {
      throw this.malformed(`<Objs> is not in the PowerShell namespace ${PS_NAMESPACE}`, at);
    }
  }

  /** Where the parser is; its column is zero-based for the next character, i.e. one-based for the last. */
  private position(): Position {
    return { line: this.parser.line, column: Math.max(1, this.parser.column) };
  }
}
