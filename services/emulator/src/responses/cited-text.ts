import type { VideoCitation } from "@reelay/contract";

export type CitationTarget = Omit<VideoCitation, "type" | "start_index" | "end_index">;

/**
 * Builds a text while recording which character spans cite which item and time range.
 * Indexes are UTF-16 code units (JavaScript `slice`), the unit the JS SDK's users slice with.
 */
export class CitedText {
  private value = "";
  private readonly citations: VideoCitation[] = [];

  add(text: string): this {
    this.value += text;
    return this;
  }

  cite(text: string, target: CitationTarget): this {
    const start = this.value.length;
    this.value += text;
    this.citations.push({ type: "video_citation", start_index: start, end_index: this.value.length, ...target });
    return this;
  }

  get text(): string {
    return this.value;
  }

  get annotations(): VideoCitation[] {
    return [...this.citations];
  }
}
