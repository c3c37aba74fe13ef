/** Strings numbered in order of first use (models, sessions, projects): records hold the numbers. */
export class StringTable {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  id(text: string): number {
    let n = this.index.get(text);
    if (n === undefined) {
      n = this.list.push(text) - 1;
      this.index.set(text, n);
    }
    return n;
  }
}
