import { AssetDetail, AssetParams, AssetTranscription, CreateAssetForm, DeleteAssetQuery, ListAssetsQuery, TranscriptionQuery, UserMetadataChangeBody, Asset } from "../assets-wire.ts";
import { listOf } from "../common-wire.ts";
import {
  CreateUploadBody,
  CreateUploadResponse,
  IncompleteUploadSummary,
  ListUploadsQuery,
  PresignedUrlsBody,
  PresignedUrlsResponse,
  ReportChunksBody,
  ReportChunksResponse,
  UploadParams,
  UploadStatusQuery,
  UploadStatusResponse,
} from "../multipart-wire.ts";
import { defineRoute } from "./route.ts";

const asset = { tag: "Assets", origin: "platform", resource: "asset" } as const;
const upload = { tag: "Multipart uploads", origin: "platform", resource: "multipart_upload" } as const;

export const assetRoutes = [
  defineRoute({
    ...asset,
    id: "assets.create",
    method: "post",
    path: "/assets",
    summary: "Upload a file (method=direct) or a URL (method=url); the asset starts `processing`",
    body: CreateAssetForm,
    bodyType: "multipart",
    files: { file: { description: "The media file, with method=direct" } },
    success: { status: 201, description: "The asset", schema: Asset },
    errors: [413, 415, 422],
  }),
  defineRoute({ ...asset, id: "assets.list", method: "get", path: "/assets", summary: "List assets, newest first", query: ListAssetsQuery, success: { status: 200, description: "A page of assets", schema: listOf(AssetDetail) }, errors: [] }),
  defineRoute({ ...asset, id: "assets.retrieve", method: "get", path: "/assets/{asset_id}", summary: "Retrieve an asset (poll it until `ready`)", params: AssetParams, success: { status: 200, description: "The asset", schema: AssetDetail }, errors: [404] }),
  defineRoute({
    ...asset,
    id: "assets.delete",
    method: "delete",
    path: "/assets/{asset_id}",
    summary: "Delete an asset; 409 while an item uses it, unless force=true",
    params: AssetParams,
    query: DeleteAssetQuery,
    success: { status: 204, description: "Deleted" },
    errors: [404, 409],
  }),
  defineRoute({
    ...asset,
    id: "assets.transcription",
    method: "get",
    path: "/assets/{asset_id}/transcription",
    summary: "The asset's speech as words, sentences or utterances (poll until `ready`)",
    params: AssetParams,
    query: TranscriptionQuery,
    success: { status: 200, description: "The transcription", schema: AssetTranscription },
    errors: [404],
  }),
  defineRoute({ ...asset, id: "assets.user_metadata.replace", method: "put", path: "/assets/{asset_id}/user-metadata", summary: "Replace the asset's user metadata", params: AssetParams, body: UserMetadataChangeBody, success: { status: 204, description: "Replaced" }, errors: [404] }),
  defineRoute({ ...asset, id: "assets.user_metadata.update", method: "patch", path: "/assets/{asset_id}/user-metadata", summary: "Merge keys into the asset's user metadata (null deletes a key)", params: AssetParams, body: UserMetadataChangeBody, success: { status: 204, description: "Updated" }, errors: [404] }),
  defineRoute({ ...asset, id: "assets.user_metadata.delete", method: "delete", path: "/assets/{asset_id}/user-metadata", summary: "Delete the asset's user metadata", params: AssetParams, success: { status: 204, description: "Deleted" }, errors: [404] }),
  defineRoute({ ...upload, id: "multipart_uploads.create", method: "post", path: "/assets/multipart-uploads", summary: "Start a multipart upload: the asset id, the chunk size and the first chunk URLs", body: CreateUploadBody, success: { status: 201, description: "The upload session", schema: CreateUploadResponse }, errors: [] }),
  defineRoute({ ...upload, id: "multipart_uploads.list", method: "get", path: "/assets/multipart-uploads", summary: "List incomplete uploads", query: ListUploadsQuery, success: { status: 200, description: "A page of uploads", schema: listOf(IncompleteUploadSummary) }, errors: [] }),
  defineRoute({ ...upload, id: "multipart_uploads.status", method: "get", path: "/assets/multipart-uploads/{upload_id}", summary: "An upload's status with its chunks, paged", params: UploadParams, query: UploadStatusQuery, success: { status: 200, description: "The status", schema: UploadStatusResponse }, errors: [404] }),
  defineRoute({ ...upload, id: "multipart_uploads.report", method: "post", path: "/assets/multipart-uploads/{upload_id}", summary: "Report a batch of uploaded chunks (with their ETags as proof)", params: UploadParams, body: ReportChunksBody, success: { status: 200, description: "What was recorded", schema: ReportChunksResponse }, errors: [404] }),
  defineRoute({ ...upload, id: "multipart_uploads.presigned_urls", method: "post", path: "/assets/multipart-uploads/{upload_id}/presigned-urls", summary: "More (or fresh) chunk URLs", params: UploadParams, body: PresignedUrlsBody, success: { status: 200, description: "The URLs", schema: PresignedUrlsResponse }, errors: [404] }),
];

