export { defaultSampleVideo, makeCorruptVideo, makeSampleVideo } from "./make-sample-video.ts";
export type { SampleVideoOptions } from "./make-sample-video.ts";
export { serveFiles } from "./serve-files.ts";
export type { FileServer } from "./serve-files.ts";
