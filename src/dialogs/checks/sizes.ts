/** Shows a size in decimal GB the way iOS does: "3.4 GB", and MB below one gigabyte. */
export function formatSize(gb: number): string {
  if (gb < 1) return `${Math.max(1, Math.round(gb * 1000))} MB`;
  return `${gb >= 100 ? Math.round(gb) : Math.round(gb * 10) / 10} GB`;
}
