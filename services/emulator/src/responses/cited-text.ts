import type { ResponseAnnotation } from "@reelay/contract";

export type CitationTarget = Omit<ResponseAnnotation, "start_index" | "end_index">;

/**
 * Builds a text with numbered citation markers (`[1]`, `[2]`, ...), recording what each one cites.
 * Like the platform, a citation locates its marker, not the phrase it follows, and counts in
 * Unicode code points with an inclusive end: read it with `[...text].slice(start, end + 1)`.
 */
export class CitedText {
  private value = "";
  private codePoints = 0;
  private readonly citations: ResponseAnnotation[] = [];

  add(text: string): this {
    this.value += text;
    this.codePoints += countCodePoints(text);
    return this;
  }

  /** Appends the next marker and cites `target` with it. */
  cite(target: CitationTarget): this {
    const marker = `[${this.citations.length + 1}]`;
    const start = this.codePoints;
    this.add(marker);
    const { type, ...rest } = target;
    this.citations.push({ type, start_index: start, end_index: this.codePoints - 1, ...rest });
    return this;
  }

  get text(): string {
    return this.value;
  }

  get annotations(): ResponseAnnotation[] {
    return [...this.citations];
  }
}

const countCodePoints = (text: string) => [...text].length;
