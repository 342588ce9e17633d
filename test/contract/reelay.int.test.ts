import { startTestStack } from "../support/stack.ts";
import { CONTRACT_CHUNK_BYTES, CONTRACT_EMULATOR, describeSdkContract, serveContractMedia } from "./sdk-contract.ts";

/** Below the 80 kB sample: files sent on to the platform go by its multipart flow. */
const DIRECT_UPLOAD_MAX_BYTES = 32 * 1024;

describeSdkContract("the full Reelay stack", async () => {
  const media = await serveContractMedia();
  // Clients upload in Reelay's own chunks, through its chunk URLs; the worker sends the joined
  // file on in the platform's (the emulator's) chunks.
  const stack = await startTestStack({
    emulator: CONTRACT_EMULATOR,
    env: { MULTIPART_CHUNK_BYTES: String(CONTRACT_CHUNK_BYTES), DIRECT_UPLOAD_MAX_BYTES: String(DIRECT_UPLOAD_MAX_BYTES) },
  });
  const { apiKey } = await stack.newTenant();
  return {
    environment: stack.base,
    apiKey,
    ...media,
    multipartChunkBytes: CONTRACT_CHUNK_BYTES,
    close: async () => {
      await stack.close();
      await media.files.close();
    },
  };
});
