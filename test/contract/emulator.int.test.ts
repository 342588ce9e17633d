import { startTestEmulator } from "../../services/emulator/src/testing/emulator-fixtures.ts";
import { CONTRACT_EMULATOR, describeSdkContract, serveContractMedia } from "./sdk-contract.ts";

describeSdkContract("the emulator alone", async () => {
  const media = await serveContractMedia();
  const emulator = await startTestEmulator(CONTRACT_EMULATOR);
  return {
    environment: emulator.url,
    apiKey: "contract",
    ...media,
    multipartChunkBytes: CONTRACT_EMULATOR.multipartChunkBytes,
    close: async () => {
      await emulator.close();
      await media.files.close();
    },
  };
});
