// The text form of a label selector (`kubectl -l`, `--prune-selector`): `app=web,tier in (a,b),!legacy`.
// A port of k8s.io/apimachinery/pkg/labels.Parse: the same lexer (whitespace and the special symbols
// `= ! ( ) , > <` end an identifier; `in` / `notin` are keywords only where an operator may stand), the same
// grammar and the same validation (label keys and values, one integer for `>` / `<`). The first error ends
// the parse, as in apimachinery. `""` parses to a selector that selects everything.
//
//   <selector>    ::= <requirement> | <requirement> "," <selector>
//   <requirement> ::= ["!"] KEY [ ("in" | "notin") "(" <values> ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
//
// `a=b` / `a==b` become Equals, `a!=b` NotIn with one value (the same match as NotEquals), `a in ()` In [""].
import { isQualifiedName, isValidLabelValue } from '../k8s/validation.ts';
import { parseInt64, selectorOf, type Operator, type ParsedSelector, type Requirement } from './selector.ts';

type Token = 'error' | 'end' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin' | 'identifier';

interface Scanned {
  tok: Token;
  literal: string;
}

const LITERAL_TOKENS: ReadonlyMap<string, Token> = new Map<string, Token>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
/** apimachinery's lexer reads bytes and takes a 0 byte for the end of the input. */
const END = '\0';

class Lexer {
  private pos = 0;
  private readonly s: string;
  constructor(s: string) {
    this.s = s;
  }

  private read(): string {
    return this.pos < this.s.length ? (this.s[this.pos++] as string) : END;
  }

  private unread(): void {
    this.pos--;
  }

  private scanIdOrKeyword(): Scanned {
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === END) break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
    }
    return { tok: LITERAL_TOKENS.get(buffer) ?? 'identifier', literal: buffer };
  }

  /** The longest operator at this position: `!=` rather than `!`, `==` rather than `=`. */
  private scanSpecialSymbol(): Scanned {
    let last: Scanned | undefined;
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === END) break;
      if (!isSpecialSymbol(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
      const tok = LITERAL_TOKENS.get(buffer);
      if (tok !== undefined) last = { tok, literal: buffer };
      else if (last !== undefined) {
        this.unread();
        break;
      }
    }
    return last ?? { tok: 'error', literal: `error expected: keyword found '${buffer}'` };
  }

  lex(): Scanned {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === END) return { tok: 'end', literal: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdOrKeyword();
  }
}

class SelectorSyntaxError extends Error {}

/** Where `in` / `notin` are read as words (values, keys) rather than operators. */
type Context = 'keyAndOperator' | 'values';

class Parser {
  private readonly items: Scanned[] = [];
  private position = 0;

  constructor(text: string) {
    const lexer = new Lexer(text);
    for (;;) {
      const item = lexer.lex();
      this.items.push(item);
      if (item.tok === 'end') break;
    }
  }

  private lookahead(context: Context): Scanned {
    return this.inContext(this.items[this.position] as Scanned, context);
  }

  private consume(context: Context): Scanned {
    return this.inContext(this.items[this.position++] as Scanned, context);
  }

  private inContext(item: Scanned, context: Context): Scanned {
    return context === 'values' && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'identifier', literal: item.literal } : item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead('values');
      if (tok === 'end') return requirements;
      if (tok !== 'identifier' && tok !== '!') throw new SelectorSyntaxError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.parseRequirement());
      } catch (e) {
        if (e instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const next = this.consume('values');
      if (next.tok === 'end') return requirements;
      if (next.tok !== ',') throw new SelectorSyntaxError(`found '${next.literal}', expected: ',' or 'end of string'`);
      const after = this.lookahead('values');
      if (after.tok !== 'identifier' && after.tok !== '!') throw new SelectorSyntaxError(`found '${after.literal}', expected: identifier after ','`);
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred !== undefined) return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === 'In' || operator === 'NotIn' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator === 'NotEquals' ? 'NotIn' : operator, [...values].sort());
  }

  /** `!key` → DoesNotExist; `key` followed by `,` or the end → Exists; otherwise an operator follows (undefined). */
  private parseKeyAndInferOperator(): { key: string; operator?: 'Exists' | 'DoesNotExist' } {
    let item = this.consume('values');
    let operator: 'DoesNotExist' | undefined;
    if (item.tok === '!') {
      operator = 'DoesNotExist';
      item = this.consume('values');
    }
    if (item.tok !== 'identifier') throw new SelectorSyntaxError(`found '${item.literal}', expected: identifier`);
    validateKey(item.literal);
    const next = this.lookahead('values').tok;
    if (operator === undefined && (next === 'end' || next === ',')) return { key: item.literal, operator: 'Exists' };
    return operator === undefined ? { key: item.literal } : { key: item.literal, operator };
  }

  private parseOperator(): Operator | 'NotEquals' {
    const { tok, literal } = this.consume('keyAndOperator');
    switch (tok) {
      case 'in':
        return 'In';
      case 'notin':
        return 'NotIn';
      case '=':
      case '==':
        return 'Equals';
      case '!=':
        return 'NotEquals';
      case '>':
        return 'GreaterThan';
      case '<':
        return 'LessThan';
      default:
        throw new SelectorSyntaxError(`found '${literal}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  /** `(a,b)`; empty entries are the empty value: `()` is [""], `(a,,b)` and `(a,)` include "". */
  private parseValues(): Set<string> {
    const open = this.consume('values');
    if (open.tok !== '(') throw new SelectorSyntaxError(`found '${open.literal}' expected: '('`);
    const first = this.lookahead('values');
    if (first.tok === ')') {
      this.consume('values');
      return new Set(['']);
    }
    if (first.tok !== 'identifier' && first.tok !== ',') throw new SelectorSyntaxError(`found '${first.literal}', expected: ',', ')' or identifier`);
    const values = this.parseIdentifiersList();
    if (this.consume('values').tok !== ')') throw new SelectorSyntaxError(`found '${first.literal}', expected: ')'`);
    return values;
  }

  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume('values');
      if (tok === 'identifier') {
        values.add(literal);
        const next = this.lookahead('values');
        if (next.tok === ',') continue;
        if (next.tok === ')') return values;
        throw new SelectorSyntaxError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (tok !== ',') throw new SelectorSyntaxError(`found '${literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add(''); // "(,"
      const next = this.lookahead('values').tok;
      if (next === ')') {
        values.add(''); // ",)"
        return values;
      }
      if (next === ',') {
        this.consume('values');
        values.add(''); // ",,"
      }
    }
  }

  /** The one value after `=`, `==`, `!=`, `>`, `<`; nothing before `,` or the end is the empty value. */
  private parseExactValue(): Set<string> {
    const next = this.lookahead('values').tok;
    if (next === 'end' || next === ',') return new Set(['']);
    const { tok, literal } = this.consume('values');
    if (tok === 'identifier') return new Set([literal]);
    throw new SelectorSyntaxError(`found '${literal}', expected: identifier`);
  }
}

function validateKey(key: string): void {
  const errs = isQualifiedName(key);
  if (errs.length > 0) throw new SelectorSyntaxError(`invalid label key ${JSON.stringify(key)}: ${errs.join('; ')}`);
}

/** labels.NewRequirement: the key, the number of values per operator, integers for Gt / Lt, and every value. */
function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errors: string[] = [];
  const keyErrors = isQualifiedName(key);
  if (keyErrors.length > 0) errors.push(`invalid label key ${JSON.stringify(key)}: ${keyErrors.join('; ')}`);
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errors.push(`for 'in', 'notin' operators, values set can't be empty`);
      break;
    case 'Equals':
      if (values.length !== 1) errors.push('exact-match compatibility requires one single value');
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) errors.push('values set must be empty for exists and does not exist');
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) errors.push(`for 'Gt', 'Lt' operators, exactly one value is required`);
      for (const v of values) if (parseInt64(v) === undefined) errors.push(`invalid value ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      break;
  }
  for (const v of values) {
    const valueErrors = isValidLabelValue(v);
    if (valueErrors.length > 0) errors.push(`invalid label value ${JSON.stringify(v)} for ${JSON.stringify(key)}: ${valueErrors.join('; ')}`);
  }
  if (errors.length > 0) throw new SelectorSyntaxError(errors.join(', '));
  return { key, operator, values };
}

/**
 * Parse the text form of a label selector as `labels.Parse` does. Requirements are sorted by key like
 * apimachinery's, so `toString()` gives the canonical form (`tier=a,app=web` prints `app=web,tier=a`).
 */
export function parseSelectorText(text: string): ParsedSelector {
  try {
    return { ok: true, selector: selectorOf(new Parser(text).parse()) };
  } catch (e) {
    if (e instanceof SelectorSyntaxError) return { ok: false, errors: [{ path: [], message: e.message }] };
    throw e;
  }
}
