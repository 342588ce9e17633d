/** One dispatched Server-Sent Event: its `event:` name (when sent) and its `data:` lines joined. */
export interface SseMessage {
  event: string | undefined;
  data: string;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG "event stream" rules): feed it text as it
 * arrives, in pieces of any size, and it returns each event once its blank line has come. Lines end
 * in LF, CRLF or CR (a CR at the end of one piece and an LF at the start of the next are one
 * ending); `:` lines are comments; `data:` lines accumulate, joined by LF; `id:` and `retry:` are
 * of no use here and ignored. Pure: the caller decodes bytes (with a streaming TextDecoder, so a
 * character split across network chunks survives).
 */
export function createSseParser() {
  let buffer = "";
  let skipLeadingLf = false;
  let event: string | undefined;
  let data: string[] = [];

  function line(text: string, out: SseMessage[]): void {
    if (text === "") {
      if (data.length > 0) out.push({ event, data: data.join("\n") });
      event = undefined;
      data = [];
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  }

  return {
    /** Parses `text` (the next piece of the stream) and returns the events it completed. */
    push(text: string): SseMessage[] {
      const out: SseMessage[] = [];
      buffer += text;
      if (skipLeadingLf && buffer.startsWith("\n")) buffer = buffer.slice(1);
      skipLeadingLf = false;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== "\n" && c !== "\r") continue;
        line(buffer.slice(start, i), out);
        if (c === "\r") {
          if (i + 1 === buffer.length) skipLeadingLf = true;
          else if (buffer[i + 1] === "\n") i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
    /** The stream ended: an event without its final blank line is incomplete and dropped, per the rules. */
    end(): void {
      buffer = "";
      event = undefined;
      data = [];
    },
  };
}
