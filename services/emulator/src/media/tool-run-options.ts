/** What every ffmpeg analysis needs: the binary, a cancellation signal and a time limit. */
export interface ToolRunOptions {
  ffmpegPath: string;
  signal: AbortSignal;
  timeoutMs: number;
}
