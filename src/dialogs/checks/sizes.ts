/** Shows a size in decimal GB the way iOS does: "3.4 GB", MB below one gigabyte, TB from a thousand. */
export function formatSize(gb: number): string {
  if (gb < 1) return `${Math.max(1, Math.round(gb * 1000))} MB`;
  if (gb >= 1000) return `${Math.round(gb / 100) / 10} TB`;
  return `${gb >= 100 ? Math.round(gb) : Math.round(gb * 10) / 10} GB`;
}
