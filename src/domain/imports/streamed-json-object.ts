import { replacePythonNonFiniteLiterals } from './decode-document';

/*
 * A large `--save-detailed` file is a JSON object of a few long arrays. Read whole, it is held
 * three times at its peak: the text, JSON.parse's working copies and the document. This builds
 * the same document from the text in pieces: the object's members and the elements of
 * array-valued members are cut out one by one and each is given to JSON.parse (with the same
 * NaN/Infinity rewrite as the whole-text path), so no more than one element's text is held at a
 * time and every value is exactly what JSON.parse of the whole file gives.
 *
 * Strict and conservative: whatever it does not recognise (a top level that is not an object,
 * a byte-order mark, a `__proto__` key, any syntax error) makes it give up, and the caller reads
 * the file whole the usual way, which also words any error as before.
 */

type State =
  | 'start'
  | 'first-key'
  | 'key-start'
  | 'key'
  | 'colon'
  | 'value-start'
  | 'value'
  | 'first-element'
  | 'element-start'
  | 'element'
  | 'after-element'
  | 'after-value'
  | 'done';

const isWhitespace = (code: number) => code === 32 || code === 10 || code === 13 || code === 9;

export class StreamedJsonObject {
  #state: State = 'start';
  #gaveUp = false;
  readonly #document: Record<string, unknown> = {};
  #key = '';
  #array: unknown[] = [];
  /** Text of the token being cut out (key, value or element), gathered across pieces. */
  #token = '';
  /** Where the token being cut out is: a string, a nested container, or a bare scalar. */
  #inString = false;
  #escaped = false;
  #depth = 0;
  #scalar = false;

  /** Takes the next piece of text; false once it has given up (the caller reads the file whole). */
  feed(piece: string): boolean {
    if (this.#gaveUp) return false;
    let index = 0;
    while (index < piece.length) {
      const state = this.#state;
      if (state === 'key' || state === 'value' || state === 'element') {
        index = this.#cut(piece, index);
        if (this.#gaveUp) return false;
        continue;
      }
      const code = piece.charCodeAt(index);
      if (isWhitespace(code)) {
        index += 1;
        continue;
      }
      if (!this.#step(code)) return this.#giveUp();
      index += 1;
    }
    return true;
  }

  /** The document, or null when it gave up or the text ended early. */
  finish(): Record<string, unknown> | null {
    if (this.#gaveUp) return null;
    // A bare scalar ends where its text does only inside a value; at the top level that is an error.
    return this.#state === 'done' ? this.#document : null;
  }

  #giveUp(): false {
    this.#gaveUp = true;
    return false;
  }

  /** One structural character outside any token; false for anything unexpected. */
  #step(code: number): boolean {
    switch (this.#state) {
      case 'start':
        if (code !== 123 /* { */) return false;
        this.#state = 'first-key';
        return true;
      case 'first-key':
        if (code === 125 /* } */) {
          this.#state = 'done';
          return true;
        }
        return this.#beginKey(code);
      case 'key-start':
        return this.#beginKey(code);
      case 'colon':
        if (code !== 58 /* : */) return false;
        this.#state = 'value-start';
        return true;
      case 'value-start':
        if (code === 91 /* [ */) {
          this.#array = [];
          this.#state = 'first-element';
          return true;
        }
        this.#beginToken(code);
        this.#state = 'value';
        return true;
      case 'first-element':
        if (code === 93 /* ] */) return this.#endArray();
        this.#beginToken(code);
        this.#state = 'element';
        return true;
      case 'element-start':
        this.#beginToken(code);
        this.#state = 'element';
        return true;
      case 'after-element':
        if (code === 44 /* , */) {
          this.#state = 'element-start';
          return true;
        }
        if (code === 93) return this.#endArray();
        return false;
      case 'after-value':
        if (code === 44) {
          this.#state = 'key-start';
          return true;
        }
        if (code === 125) {
          this.#state = 'done';
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  #beginKey(code: number): boolean {
    if (code !== 34 /* " */) return false;
    this.#beginToken(code);
    this.#state = 'key';
    return true;
  }

  #beginToken(code: number): void {
    this.#token = String.fromCharCode(code);
    this.#inString = code === 34;
    this.#escaped = false;
    this.#depth = code === 123 || code === 91 ? 1 : 0;
    this.#scalar = !this.#inString && this.#depth === 0;
  }

  /** Gathers the current token from `start`; returns where to go on in the piece. */
  #cut(piece: string, start: number): number {
    let index = start;
    let complete = false;
    while (index < piece.length) {
      const code = piece.charCodeAt(index);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (code === 92 /* \ */) this.#escaped = true;
        else if (code === 34) {
          this.#inString = false;
          if (this.#depth === 0) {
            index += 1;
            complete = true;
            break;
          }
        }
        index += 1;
        continue;
      }
      if (this.#scalar) {
        // A bare number or literal ends at the first whitespace or delimiter, which is not its own.
        if (isWhitespace(code) || code === 44 || code === 93 || code === 125) {
          complete = true;
          break;
        }
        index += 1;
        continue;
      }
      if (code === 34) this.#inString = true;
      else if (code === 123 || code === 91) this.#depth += 1;
      else if (code === 125 || code === 93) {
        this.#depth -= 1;
        if (this.#depth === 0) {
          index += 1;
          complete = true;
          break;
        }
      }
      index += 1;
    }
    this.#token += piece.slice(start, index);
    if (complete) this.#tokenDone();
    return index;
  }

  #tokenDone(): void {
    const text = this.#token;
    this.#token = '';
    let value: unknown;
    try {
      value = JSON.parse(this.#state === 'key' ? text : replacePythonNonFiniteLiterals(text));
    } catch {
      this.#giveUp();
      return;
    }
    switch (this.#state) {
      case 'key':
        // Assigning `__proto__` would set the prototype where JSON.parse makes a plain key.
        if (typeof value !== 'string' || value === '__proto__') {
          this.#giveUp();
          return;
        }
        this.#key = value;
        this.#state = 'colon';
        return;
      case 'value':
        this.#document[this.#key] = value;
        this.#state = 'after-value';
        return;
      default:
        this.#array.push(value);
        this.#state = 'after-element';
    }
  }

  #endArray(): true {
    this.#document[this.#key] = this.#array;
    this.#array = [];
    this.#state = 'after-value';
    return true;
  }
}
