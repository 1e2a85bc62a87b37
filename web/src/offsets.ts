// adlint reports byte offsets into the UTF-8 text; CodeMirror counts UTF-16 code units.

/** Maps UTF-8 byte offsets of `text` to UTF-16 offsets. */
export class Offsets {
  private readonly bytes: number[] = [];
  private readonly units: number[] = [];

  constructor(text: string) {
    // Checkpoints at every non-ASCII character; ASCII runs in between map one to one.
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        byte += 1;
        continue;
      }
      this.bytes.push(byte);
      this.units.push(i);
      if (c < 0x800) byte += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        byte += 4;
        i += 1;
      } else byte += 3;
      this.bytes.push(byte);
      this.units.push(i + 1);
    }
    this.total = byte;
    this.length = text.length;
  }

  private readonly total: number;
  private readonly length: number;

  /** The UTF-16 offset of a byte offset (clamped to the text). */
  toUnits(byte: number): number {
    if (byte <= 0) return 0;
    if (byte >= this.total) return this.length;
    // The last checkpoint at or before `byte`.
    let lo = 0;
    let hi = this.bytes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.bytes[mid] <= byte) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return byte;
    return Math.min(this.units[found] + (byte - this.bytes[found]), this.length);
  }
}
