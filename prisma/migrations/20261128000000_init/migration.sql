-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "AssetStatus" AS ENUM ('processing', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "SyncStatus" AS ENUM ('pending', 'synced', 'failed');

-- CreateEnum
CREATE TYPE "ItemStatus" AS ENUM ('queued', 'pending', 'processing', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "ResponseStatus" AS ENUM ('queued', 'in_progress', 'completed', 'failed', 'incomplete');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'in_progress', 'completed', 'failed');

-- CreateTable
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assets" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" "AssetStatus" NOT NULL DEFAULT 'processing',
    "filename" TEXT,
    "file_type" TEXT,
    "source_url" TEXT,
    "blob_key" TEXT,
    "enable_hls" BOOLEAN NOT NULL DEFAULT false,
    "enable_thumbnail" BOOLEAN NOT NULL DEFAULT false,
    "user_metadata" JSONB,
    "size" BIGINT,
    "duration" DOUBLE PRECISION,
    "technical_metadata" JSONB,
    "error_message" TEXT,
    "upstream_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "assets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "knowledge_stores" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "ingestion_config" JSONB,
    "metadata" JSONB,
    "sync_status" "SyncStatus" NOT NULL DEFAULT 'pending',
    "error_message" TEXT,
    "upstream_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "knowledge_stores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "knowledge_store_items" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "knowledge_store_id" TEXT NOT NULL,
    "asset_id" TEXT NOT NULL,
    "asset_type" TEXT NOT NULL DEFAULT 'video',
    "status" "ItemStatus" NOT NULL DEFAULT 'queued',
    "metadata" JSONB,
    "system_metadata" JSONB,
    "error_message" TEXT,
    "upstream_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "knowledge_store_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "responses" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "knowledge_store_id" TEXT NOT NULL,
    "status" "ResponseStatus" NOT NULL DEFAULT 'queued',
    "request" JSONB NOT NULL,
    "body" JSONB,
    "error" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "stage" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "polls" INTEGER NOT NULL DEFAULT 0,
    "create_sent_at" TIMESTAMP(3),
    "last_error" TEXT,
    "deadline_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_name_key" ON "tenants"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_idx" ON "api_keys"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "assets_upstream_id_key" ON "assets"("upstream_id");

-- CreateIndex
CREATE INDEX "assets_tenant_id_created_at_idx" ON "assets"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "knowledge_stores_upstream_id_key" ON "knowledge_stores"("upstream_id");

-- CreateIndex
CREATE INDEX "knowledge_stores_tenant_id_created_at_idx" ON "knowledge_stores"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "knowledge_store_items_upstream_id_key" ON "knowledge_store_items"("upstream_id");

-- CreateIndex
CREATE INDEX "knowledge_store_items_knowledge_store_id_created_at_idx" ON "knowledge_store_items"("knowledge_store_id", "created_at");

-- CreateIndex
CREATE INDEX "knowledge_store_items_asset_id_idx" ON "knowledge_store_items"("asset_id");

-- CreateIndex
CREATE INDEX "responses_tenant_id_created_at_idx" ON "responses"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "jobs_status_updated_at_idx" ON "jobs"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "jobs_type_resource_id_key" ON "jobs"("type", "resource_id");

-- CreateIndex
CREATE INDEX "events_tenant_id_created_at_idx" ON "events"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "events_resource_id_idx" ON "events"("resource_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assets" ADD CONSTRAINT "assets_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_stores" ADD CONSTRAINT "knowledge_stores_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_store_items" ADD CONSTRAINT "knowledge_store_items_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_store_items" ADD CONSTRAINT "knowledge_store_items_knowledge_store_id_fkey" FOREIGN KEY ("knowledge_store_id") REFERENCES "knowledge_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_store_items" ADD CONSTRAINT "knowledge_store_items_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_knowledge_store_id_fkey" FOREIGN KEY ("knowledge_store_id") REFERENCES "knowledge_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

