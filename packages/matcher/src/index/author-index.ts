import { blockingKeys, type AuthorKey } from '../normalise/author.js';

/**
 * Titles by author blocking keys. Two author lists that `compareAuthorLists` does not call
 * `disagree` always share a key (see `blockingKeys`), so looking a book's authors up here finds
 * every title that can be a fuzzy candidate at all; the same title by another author is never
 * even looked at.
 */
export class AuthorIndex {
  private readonly byForm = new Map<string, number[]>();
  private readonly byToken = new Map<string, number[]>();
  private stamps = new Int32Array(0);
  private stamp = 0;
  // A tracker names the same authors again and again (a series is one author's): one block each.
  // (Plain maps: weak maps with tens of thousands of keys cost more in garbage collection than they save.)
  private readonly blocks = new Map<AuthorKey, number[]>();


  add(owner: number, authors: readonly AuthorKey[]): void {
    if (this.stamp > 0) throw new Error('AuthorIndex: add after lookup');
    if (owner >= this.stamps.length) {
      const grown = new Int32Array(Math.max(16, owner * 2));
      grown.set(this.stamps);
      this.stamps = grown;
    }
    for (const author of authors) {
      const { forms, tokens } = blockingKeys(author);
      for (const form of forms) push(this.byForm, form, owner);
      for (const token of tokens) push(this.byToken, token, owner);
    }
  }

  /** Every owner sharing a blocking key with one of `authors`, each once. */
  lookup(authors: readonly AuthorKey[]): number[] {
    if (authors.length === 1) return this.blockOf(authors[0]!);
    const out: number[] = [];
    const stamp = ++this.stamp;
    for (const author of authors) {
      for (const owner of this.blockOf(author)) {
        if (this.stamps[owner] === stamp) continue;
        this.stamps[owner] = stamp;
        out.push(owner);
      }
    }
    return out;
  }

  private blockOf(author: AuthorKey): number[] {
    const cached = this.blocks.get(author);
    if (cached) return cached;
    const out: number[] = [];
    const stamp = ++this.stamp;
    const { forms, tokens } = blockingKeys(author);
    for (let k = 0; k < forms.length + forms.length + tokens.length; k++) {
      const list = k < forms.length ? this.byForm.get(forms[k]!) : k < 2 * forms.length ? this.byToken.get(forms[k - forms.length]!) : this.byForm.get(tokens[k - 2 * forms.length]!);
      if (!list) continue;
      for (const owner of list) {
        if (this.stamps[owner] === stamp) continue;
        this.stamps[owner] = stamp;
        out.push(owner);
      }
    }
    this.blocks.set(author, out);
    return out;
  }
}

function push(map: Map<string, number[]>, key: string, owner: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [owner]);
  else if (list[list.length - 1] !== owner) list.push(owner);
}
