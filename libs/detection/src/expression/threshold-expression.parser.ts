import { isScoreName, SCORE_NAMES } from '../scoring/score-vector';
import type { ComparisonOperator, ThresholdExpression } from './threshold-expression';

/**
 * Parser for the string form of threshold expressions:
 *
 *   expr       := or
 *   or         := and (("OR" | "||") and)*
 *   and        := unary (("AND" | "&&") unary)*
 *   unary      := ("NOT" | "!") unary | "(" expr ")" | comparison
 *   comparison := operand op number | number op operand
 *   operand    := score | "abs(" score ")"
 *   op         := ">" | ">=" | "<" | "<="
 *   number     := -?digits[.digits][e±digits]["%"] | "inf" | "-inf"
 *
 * Keywords are case-insensitive; `20%` means 0.2 (for relDelta). Unknown scores and stray
 * tokens are rejected with the position, so a typo in configuration fails at start-up.
 */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position} in "${source}"`);
    this.name = 'ExpressionSyntaxError';
  }
}

type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'op'; op: ComparisonOperator; pos: number }
  | { kind: 'and' | 'or' | 'not' | 'lparen' | 'rparen' | 'end'; pos: number };

export function parseThresholdExpression(source: string): ThresholdExpression {
  const parser = new Parser(source, tokenize(source));
  const expression = parser.parseOr();
  parser.expectEnd();
  return expression;
}

const FLIPPED: Readonly<Record<ComparisonOperator, ComparisonOperator>> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=' };

class Parser {
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseOr(): ThresholdExpression {
    const terms = [this.parseAnd()];
    while (this.peek().kind === 'or') {
      this.index++;
      terms.push(this.parseAnd());
    }
    return terms.length === 1 ? (terms[0] as ThresholdExpression) : { any: terms };
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') this.fail(`unexpected ${describe(token)}`, token.pos);
  }

  private parseAnd(): ThresholdExpression {
    const terms = [this.parseUnary()];
    while (this.peek().kind === 'and') {
      this.index++;
      terms.push(this.parseUnary());
    }
    return terms.length === 1 ? (terms[0] as ThresholdExpression) : { all: terms };
  }

  private parseUnary(): ThresholdExpression {
    const token = this.peek();
    if (token.kind === 'not') {
      this.index++;
      return { not: this.parseUnary() };
    }
    if (token.kind === 'lparen') {
      this.index++;
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== 'rparen') this.fail(`expected ")" but found ${describe(close)}`, close.pos);
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): ThresholdExpression {
    const first = this.peek();
    if (first.kind === 'number') {
      this.index++;
      const op = this.expectOperator();
      const operand = this.parseOperand();
      return { ...operand, op: FLIPPED[op], value: first.value };
    }
    const operand = this.parseOperand();
    const op = this.expectOperator();
    const value = this.next();
    if (value.kind !== 'number') this.fail(`expected a number but found ${describe(value)}`, value.pos);
    return { ...operand, op, value: value.value };
  }

  private parseOperand(): { score: (typeof SCORE_NAMES)[number]; abs?: true } {
    const token = this.next();
    if (token.kind !== 'ident') this.fail(`expected a score name but found ${describe(token)}`, token.pos);
    if (token.text.toLowerCase() === 'abs') {
      const open = this.next();
      if (open.kind !== 'lparen') this.fail('expected "(" after abs', open.pos);
      const inner = this.parseOperand();
      const close = this.next();
      if (close.kind !== 'rparen') this.fail(`expected ")" but found ${describe(close)}`, close.pos);
      return { score: inner.score, abs: true };
    }
    if (!isScoreName(token.text)) {
      this.fail(`unknown score "${token.text}" (known: ${SCORE_NAMES.join(', ')})`, token.pos);
    }
    return { score: token.text };
  }

  private expectOperator(): ComparisonOperator {
    const token = this.next();
    if (token.kind !== 'op') this.fail(`expected a comparison (> >= < <=) but found ${describe(token)}`, token.pos);
    return token.op;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end', pos: this.source.length };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private fail(message: string, pos: number): never {
    throw new ExpressionSyntaxError(message, this.source, pos);
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(>=|<=|>|<)|(&&|\|\|)|(!)|(\()|(\))|(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?%?|-?inf(?:inity)?\b)|([A-Za-z_][A-Za-z0-9_]*))/giy;
  let pos = 0;
  while (pos < source.length) {
    pattern.lastIndex = pos;
    const match = pattern.exec(source);
    if (match === null) {
      if (/^\s*$/.test(source.slice(pos))) break;
      const at = pos + (/^\s*/.exec(source.slice(pos))?.[0].length ?? 0);
      throw new ExpressionSyntaxError(`unexpected character "${source[at] ?? ''}"`, source, at);
    }
    const start = pos + (match[0].length - match[0].trimStart().length);
    pos = pattern.lastIndex;
    const [, op, logical, bang, lparen, rparen, number, ident] = match;
    if (op !== undefined) tokens.push({ kind: 'op', op: op as ComparisonOperator, pos: start });
    else if (logical !== undefined) tokens.push({ kind: logical === '&&' ? 'and' : 'or', pos: start });
    else if (bang !== undefined) tokens.push({ kind: 'not', pos: start });
    else if (lparen !== undefined) tokens.push({ kind: 'lparen', pos: start });
    else if (rparen !== undefined) tokens.push({ kind: 'rparen', pos: start });
    else if (number !== undefined) tokens.push({ kind: 'number', value: parseNumber(number), pos: start });
    else if (ident !== undefined) {
      const keyword = ident.toLowerCase();
      if (keyword === 'and' || keyword === 'or' || keyword === 'not') tokens.push({ kind: keyword, pos: start });
      else tokens.push({ kind: 'ident', text: ident, pos: start });
    }
  }
  return tokens;
}

function parseNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower.replace(/^-/, '').startsWith('inf')) return lower.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return lower.endsWith('%') ? Number(lower.slice(0, -1)) / 100 : Number(lower);
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'ident':
      return `"${token.text}"`;
    case 'number':
      return `number ${token.value}`;
    case 'op':
      return `"${token.op}"`;
    case 'and':
      return 'AND';
    case 'or':
      return 'OR';
    case 'not':
      return 'NOT';
    case 'lparen':
      return '"("';
    case 'rparen':
      return '")"';
    case 'end':
      return 'end of expression';
  }
}
