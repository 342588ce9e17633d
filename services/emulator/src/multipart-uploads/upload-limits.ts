/** The platform's multipart rules, as documented for twelvelabs-js 1.3.4. */

/** A session can be completed for 24 hours after it is created. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** A presigned chunk URL works once, within one hour of being issued (and never past its session). */
export const URL_TTL_MS = 60 * 60 * 1000;

/**
 * URLs handed out with a new session: the first 10 chunks. The platform says the initial set "may
 * not include URLs for all chunks"; a small set makes clients exercise the presigned-urls call.
 */
export const INITIAL_URL_COUNT = 10;

/** At most 50 URLs per presigned-urls request. */
export const MAX_URLS_PER_REQUEST = 50;

/** S3's part limit; the chunk size grows for files that would need more. */
export const MAX_CHUNKS = 10_000;

/** Largest file per declared type: 10 GB for video and audio, 32 MB for images. */
export const MAX_TOTAL_SIZE = {
  video: 10 * 1024 ** 3,
  audio: 10 * 1024 ** 3,
  image: 32 * 1024 ** 2,
} as const;
