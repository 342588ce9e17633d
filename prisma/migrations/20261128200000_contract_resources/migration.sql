-- DropIndex
DROP INDEX "jobs_type_resource_id_key";

-- AlterTable
ALTER TABLE "assets" ADD COLUMN     "deleted_at" TIMESTAMP(3),
ADD COLUMN     "hls" JSONB,
ADD COLUMN     "thumbnail" JSONB,
ADD COLUMN     "upstream_upload" JSONB;

-- AlterTable
ALTER TABLE "knowledge_stores" ADD COLUMN     "deleted_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "knowledge_store_items" ADD COLUMN     "deleted_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "asset_transcriptions" (
    "asset_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "body" JSONB,
    "error_message" TEXT,
    "job_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "asset_transcriptions_pkey" PRIMARY KEY ("asset_id")
);

-- CreateTable
CREATE TABLE "item_collections" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "knowledge_store_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "metadata" JSONB,
    "sync_status" "SyncStatus" NOT NULL DEFAULT 'pending',
    "error_message" TEXT,
    "upstream_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "job_id" TEXT,
    "deleted_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "item_collections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "item_collection_members" (
    "collection_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "item_collection_members_pkey" PRIMARY KEY ("collection_id","item_id")
);

-- CreateTable
CREATE TABLE "knowledge_store_searches" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "knowledge_store_id" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "result" JSONB,
    "error" JSONB,
    "version" INTEGER NOT NULL DEFAULT 0,
    "job_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "knowledge_store_searches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "multipart_uploads" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "asset_id" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "file_type" TEXT NOT NULL,
    "total_size" BIGINT NOT NULL,
    "chunk_size" INTEGER NOT NULL,
    "total_chunks" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "multipart_uploads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "multipart_chunks" (
    "upload_id" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "etag" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "received_at" TIMESTAMP(3),
    "reported_at" TIMESTAMP(3),

    CONSTRAINT "multipart_chunks_pkey" PRIMARY KEY ("upload_id","index")
);

-- CreateIndex
CREATE UNIQUE INDEX "item_collections_upstream_id_key" ON "item_collections"("upstream_id");

-- CreateIndex
CREATE INDEX "item_collections_knowledge_store_id_created_at_idx" ON "item_collections"("knowledge_store_id", "created_at");

-- CreateIndex
CREATE INDEX "item_collection_members_item_id_idx" ON "item_collection_members"("item_id");

-- CreateIndex
CREATE INDEX "knowledge_store_searches_knowledge_store_id_created_at_idx" ON "knowledge_store_searches"("knowledge_store_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "multipart_uploads_asset_id_key" ON "multipart_uploads"("asset_id");

-- CreateIndex
CREATE INDEX "multipart_uploads_tenant_id_created_at_idx" ON "multipart_uploads"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "jobs_type_resource_id_idx" ON "jobs"("type", "resource_id");

-- AddForeignKey
ALTER TABLE "asset_transcriptions" ADD CONSTRAINT "asset_transcriptions_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item_collections" ADD CONSTRAINT "item_collections_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item_collections" ADD CONSTRAINT "item_collections_knowledge_store_id_fkey" FOREIGN KEY ("knowledge_store_id") REFERENCES "knowledge_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item_collection_members" ADD CONSTRAINT "item_collection_members_collection_id_fkey" FOREIGN KEY ("collection_id") REFERENCES "item_collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "item_collection_members" ADD CONSTRAINT "item_collection_members_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "knowledge_store_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_store_searches" ADD CONSTRAINT "knowledge_store_searches_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_store_searches" ADD CONSTRAINT "knowledge_store_searches_knowledge_store_id_fkey" FOREIGN KEY ("knowledge_store_id") REFERENCES "knowledge_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multipart_uploads" ADD CONSTRAINT "multipart_uploads_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multipart_uploads" ADD CONSTRAINT "multipart_uploads_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multipart_chunks" ADD CONSTRAINT "multipart_chunks_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "multipart_uploads"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one open job of a type per resource (Prisma cannot declare a partial index).
CREATE UNIQUE INDEX "jobs_one_open_per_resource" ON "jobs"("type", "resource_id") WHERE "status" IN ('queued', 'running', 'waiting_remote');
