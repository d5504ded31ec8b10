/** A set that forgets its oldest ids beyond `max`, so remembering costs bounded memory. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error('RecentIds needs max >= 1');
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  delete(id: string): void {
    this.ids.delete(id);
  }
}
